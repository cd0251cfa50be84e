package com.lockstep.kit.api;

import java.util.List;

/** A service's endpoints; every CDI bean implementing this is served by {@link SeamHttpServer}. */
public interface SeamRoutes {
    List<Endpoint> endpoints();
}
