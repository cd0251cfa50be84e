package com.lockstep.kit.api;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Runs a {@link SeamApi} resource's blocking methods through {@link ConsistentCalls}; a read's body
 * may run twice, each time with fresh parameters. Non-blocking methods answer from memory and call
 * {@link ConsistentCalls#onWorker} themselves when they cannot.
 */
@SeamApi
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER)
public class ConsistencyInterceptor {

    private final ConsistentCalls calls;

    public ConsistencyInterceptor(ConsistentCalls calls) {
        this.calls = calls;
    }

    @AroundInvoke
    Object aroundEndpoint(InvocationContext invocation) throws Exception {
        EndpointRules rules = EndpointRules.of(invocation.getMethod());
        Object[] parameters = invocation.getParameters();
        int requestAt = requestParameter(parameters);
        if (rules.nonBlocking() || requestAt < 0) {
            return invocation.proceed();
        }
        SeamRequest request = (SeamRequest) parameters[requestAt];
        return calls.call(request.exchange(), rules, request, fresh -> {
            Object[] again = parameters.clone();
            again[requestAt] = fresh;
            invocation.setParameters(again);
            return (SeamResponse) invocation.proceed();
        });
    }

    private static int requestParameter(Object[] parameters) {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof SeamRequest) {
                return i;
            }
        }
        return -1;
    }
}
