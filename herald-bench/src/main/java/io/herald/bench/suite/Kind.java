package io.herald.bench.suite;

/** The three servers every scenario runs against. */
enum Kind {
    HERALD("herald", "Herald", "ABLY"),
    SIO("socketio", "Socket.IO 4", "SIO"),
    BARE("bare", "bare Netty", "BARE");

    final String id;
    final String label;
    /** The worker's name for the protocol it speaks to this server. */
    final String protocol;

    Kind(String id, String label, String protocol) {
        this.id = id;
        this.label = label;
        this.protocol = protocol;
    }
}
