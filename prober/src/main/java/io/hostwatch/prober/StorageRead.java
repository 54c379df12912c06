package io.hostwatch.prober;

import io.hostwatch.storage.StorageHeartbeat;

/**
 * What one read of a host's storage heartbeat file found.
 *
 * @param heartbeat set only for {@link Kind#OK}
 * @param detail    what went wrong, for every other kind
 */
record StorageRead(Kind kind, StorageHeartbeat heartbeat, String detail) {

    enum Kind {
        /** A complete heartbeat. */
        OK,
        /** No file for this host (the storage root itself is fine). */
        MISSING,
        /** A file that is not a complete heartbeat: torn, foreign, another host's. */
        CORRUPT,
        /** The file exists but could not be read. */
        UNREADABLE,
        /** The storage root is not readable: the prober's own problem. */
        ROOT_UNREADABLE,
        /** The request's host id cannot name a file. */
        INVALID_HOST,
        /** A complete file whose authenticator does not verify (storage.authentication). */
        UNAUTHENTIC
    }

    static StorageRead ok(StorageHeartbeat heartbeat) {
        return new StorageRead(Kind.OK, heartbeat, null);
    }

    static StorageRead of(Kind kind, String detail) {
        return new StorageRead(kind, null, detail);
    }
}
