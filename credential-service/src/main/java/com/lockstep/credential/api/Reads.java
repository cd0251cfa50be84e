package com.lockstep.credential.api;

import com.lockstep.kit.db.Database;
import io.quarkus.hibernate.orm.panache.Panache;

import java.util.concurrent.Callable;

/**
 * Reads through the repositories, in the request's session, outside a transaction. The session is
 * emptied first: a read that runs again after its fence must see what the consumers applied
 * meanwhile, where the session would hand back the entities of its first run as they were.
 */
final class Reads {

    private Reads() {
    }

    static <T> T fresh(Database database, Callable<T> work) throws Exception {
        return database.read(() -> {
            Panache.getEntityManager().clear();
            return work.call();
        });
    }
}
