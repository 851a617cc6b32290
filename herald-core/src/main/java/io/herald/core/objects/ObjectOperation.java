package io.herald.core.objects;

import org.jspecify.annotations.Nullable;

/**
 * An operation on one object (Ably's ObjectOperation). Which fields are set depends on the action:
 *
 * <ul>
 *   <li>MAP_CREATE: {@code mapCreate} (read from {@code mapCreate}, or parsed from the {@code initialValue} text of
 *       {@code mapCreateWithObjectId}, whose {@code nonce} and {@code initialValue} are then kept too);
 *   <li>MAP_SET: {@code key} and {@code value}; MAP_REMOVE: {@code key};
 *   <li>COUNTER_CREATE: {@code number} (the initial count; absent means 0), with {@code nonce} and
 *       {@code initialValue} when sent as {@code counterCreateWithObjectId};
 *   <li>COUNTER_INC: {@code number}, the amount; OBJECT_DELETE and MAP_CLEAR: nothing.
 * </ul>
 */
public record ObjectOperation(
        int action,
        String objectId,
        @Nullable MapCreate mapCreate,
        @Nullable String key,
        @Nullable ObjectData value,
        @Nullable Double number,
        @Nullable String nonce,
        @Nullable String initialValue) {

    public static ObjectOperation mapSet(String objectId, String key, ObjectData value) {
        return new ObjectOperation(ObjectAction.MAP_SET, objectId, null, key, value, null, null, null);
    }

    public static ObjectOperation mapRemove(String objectId, String key) {
        return new ObjectOperation(ObjectAction.MAP_REMOVE, objectId, null, key, null, null, null, null);
    }

    public static ObjectOperation mapCreate(String objectId, MapCreate create) {
        return new ObjectOperation(ObjectAction.MAP_CREATE, objectId, create, null, null, null, null, null);
    }

    public static ObjectOperation counterCreate(String objectId, double count) {
        return new ObjectOperation(ObjectAction.COUNTER_CREATE, objectId, null, null, null, count, null, null);
    }

    public static ObjectOperation counterInc(String objectId, double amount) {
        return new ObjectOperation(ObjectAction.COUNTER_INC, objectId, null, null, null, amount, null, null);
    }

    public static ObjectOperation delete(String objectId) {
        return new ObjectOperation(ObjectAction.OBJECT_DELETE, objectId, null, null, null, null, null, null);
    }

    public static ObjectOperation mapClear(String objectId) {
        return new ObjectOperation(ObjectAction.MAP_CLEAR, objectId, null, null, null, null, null, null);
    }

    /** Bytes this operation counts for in the size limits (Ably's OOP4: keys, values, 8 per number). */
    long size() {
        long n = 0;
        if (mapCreate != null) {
            for (var e : mapCreate.entries().entrySet()) {
                n += e.getKey().length();
                ObjectData d = e.getValue().data();
                n += d == null ? 0 : d.size();
            }
        }
        if (key != null) {
            n += key.length();
        }
        if (value != null) {
            n += value.size();
        }
        if (number != null) {
            n += 8;
        }
        return n;
    }
}
