package com.lockstep.kit.runtime;

import com.lockstep.kit.api.Endpoint;
import com.lockstep.kit.api.ReplayAdmin;
import com.lockstep.kit.api.SeamRoutes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * Every service's replay of its kit subscriptions, behind the admin token, under
 * {@code /admin/<service_name>/consumer_groups/}: e.g. {@code /admin/credential_service/consumer_groups/replay}.
 */
@ApplicationScoped
public class ConsumerGroupAdminRoutes implements SeamRoutes {

    private final KitSubscriptions subscriptions;
    private final String serviceName;

    public ConsumerGroupAdminRoutes(KitSubscriptions subscriptions,
                                    @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.subscriptions = subscriptions;
        this.serviceName = serviceName;
    }

    @Override
    public List<Endpoint> endpoints() {
        return ReplayAdmin.endpoints("/admin/" + serviceName.replace('-', '_') + "/consumer_groups", subscriptions);
    }
}
