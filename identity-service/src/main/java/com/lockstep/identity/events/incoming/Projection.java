package com.lockstep.identity.events.incoming;

import com.lockstep.kit.events.replay.Replayable;

/**
 * Tables identity-service keeps from another context's topics, fed by one consumer group of its
 * own, and rebuilt from nothing by replaying that group from the beginning ({@link ProjectionRunner}).
 */
public interface Projection extends Replayable {

    @Override
    default boolean rebuildable() {
        return true;
    }
}
