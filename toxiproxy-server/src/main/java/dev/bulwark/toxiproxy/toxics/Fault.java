package dev.bulwark.toxiproxy.toxics;

/** What a toxic asks to happen to the whole connection when its timer fires or it is removed. */
public enum Fault {
    /** Nothing: the connection carries on. */
    NONE,
    /** Close both sockets normally (the peers see end of stream). */
    CLOSE,
    /** Close both sockets with SO_LINGER 0 so the peers see "connection reset". */
    RESET
}
