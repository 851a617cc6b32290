/**
 * LiveObjects on a channel (docs/liveobjects.md): the object messages of the OBJECT and OBJECT_SYNC actions and the
 * state they build. Pure Java: no engine, session or transport here, so every engine and the REST objects API share
 * the same rules.
 *
 * <ul>
 *   <li>The wire model: {@link io.herald.core.objects.ObjectMessage} carries an
 *       {@link io.herald.core.objects.ObjectOperation} (OBJECT) or an {@link io.herald.core.objects.ObjectState}
 *       (OBJECT_SYNC); values are {@link io.herald.core.objects.ObjectData}, map entries
 *       {@link io.herald.core.objects.MapEntry}; actions are numbered in {@link io.herald.core.objects.ObjectAction};
 *       ids are made and checked by {@link io.herald.core.objects.ObjectId} ({@code type:hash@msTimestamp}, and
 *       {@code root}).
 *   <li>{@link io.herald.core.objects.ObjectMessages}: to and from the {@code state} JSON tree of a ProtocolMessage
 *       (the same tree in JSON and msgpack); malformed input is a 92000 {@code AblyException}.
 *   <li>{@link io.herald.core.objects.ObjectsState}: one channel's pool: {@code check(ops)} (92000, 92001, 92002,
 *       changes nothing), {@code apply(stampedMessage)}, {@code snapshot()} (the OBJECT_SYNC messages, root first),
 *       {@code collect(nowMs)} (tombstones past the grace period), {@code state(objectId)},
 *       {@code restore(snapshot, limits)} (a pool from OBJECT_SYNC states, e.g. an engine's {@code ObjectsSnapshot}),
 *       within
 *       {@link io.herald.core.objects.ObjectsLimits}.
 *   <li>{@link io.herald.core.objects.ObjectsTree}: an engine's snapshot read as a tree, for the REST objects API:
 *       {@link io.herald.core.objects.ObjectPath} paths (escapes, wildcards) and the compact and full JSON views;
 *       {@link io.herald.core.objects.ObjectsView} gives the same views of a pool.
 * </ul>
 *
 * Not thread-safe: the owner of an {@code ObjectsState} serialises access to it.
 */
package io.herald.core.objects;
