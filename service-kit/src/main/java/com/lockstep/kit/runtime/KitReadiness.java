package com.lockstep.kit.runtime;

import com.lockstep.kit.auth.ApiKeyDirectory;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import jakarta.enterprise.context.ApplicationScoped;

/** Not ready until the API-key directory has caught up: before that, valid keys would be refused. */
@Readiness
@ApplicationScoped
public class KitReadiness implements HealthCheck {

    private final ApiKeyDirectory apiKeys;

    public KitReadiness(ApiKeyDirectory apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("api-key-directory").status(apiKeys.caughtUp()).build();
    }
}
