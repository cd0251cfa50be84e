package com.lockstep.kit.runtime;

import com.lockstep.kit.api.AdminOnly;
import com.lockstep.kit.api.ReplayAdmin;
import com.lockstep.kit.api.SeamApi;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Every service's replay of its kit subscriptions, behind the admin token, under
 * {@code /admin/<service_name>/consumer_groups/}: e.g. {@code /admin/credential_service/consumer_groups/replay}.
 */
@Path("/admin/{service_name}/consumer_groups")
@AdminOnly
@SeamApi
public class ConsumerGroupAdminResource {

    private final KitSubscriptions subscriptions;
    private final String serviceName;

    public ConsumerGroupAdminResource(KitSubscriptions subscriptions,
                                      @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.subscriptions = subscriptions;
        this.serviceName = applicationName.replace('-', '_');
    }

    @POST
    @Path("/list")
    public SeamResponse list(@RestPath("service_name") String service, SeamRequest request) {
        served(service);
        return ReplayAdmin.list(subscriptions);
    }

    @POST
    @Path("/replay")
    public SeamResponse replay(@RestPath("service_name") String service, SeamRequest request) throws Exception {
        served(service);
        return ReplayAdmin.replay(request, subscriptions);
    }

    private void served(String service) {
        if (!serviceName.equals(service)) {
            throw new SeamException(404, "endpoint_not_found", "No endpoint at /admin/" + service + "/consumer_groups");
        }
    }
}
