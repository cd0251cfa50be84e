package com.lockstep.phone.api;

import com.lockstep.kit.api.FencedOn;
import com.lockstep.kit.api.Page;
import com.lockstep.kit.api.PageCursor;
import com.lockstep.kit.api.Params;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import com.lockstep.kit.api.SeamAnswer;
import com.lockstep.kit.api.SeamApi;
import com.lockstep.kit.api.SdkMethod;
import com.lockstep.kit.db.Database;
import com.lockstep.phone.domain.Phone;
import com.lockstep.phone.domain.SandboxPhones;
import com.lockstep.phone.events.outgoing.PhoneEvents;
import com.lockstep.phone.store.PhoneRepository;
import com.lockstep.phone.store.UserIdentityRepository;
import com.lockstep.schemas.Topics;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** {@code /phones/*}, as Seam serves them. */
@Path("/phones")
@SeamApi
public class PhoneResource {

    private final Database database;
    private final PhoneRepository phones;
    private final UserIdentityRepository identities;
    private final PhoneEvents phoneEvents;

    public PhoneResource(Database database, PhoneRepository phones, UserIdentityRepository identities, PhoneEvents phoneEvents) {
        this.database = database;
        this.phones = phones;
        this.identities = identities;
        this.phoneEvents = phoneEvents;
    }

    /** Phones are this service's own rows; no consumer writes them. */
    @POST
    @Path("/get")
    @SeamAnswer("phone")
    @SdkMethod(HttpMethod.GET)
    @FencedOn({})
    public SeamResponse get(SeamRequest request) throws Exception {
        UUID deviceId = request.params().requiredUuid("device_id");
        request.params().validate();
        Phone phone = database.read(() -> phones.findActive(request.workspaceId(), deviceId))
                .orElseThrow(() -> SeamException.notFound("phone"));
        return SeamResponse.of("phone", PhoneJson.of(phone));
    }

    @POST
    @Path("/list")
    @SeamAnswer(value = "phones", list = true, paginated = true)
    @SdkMethod(HttpMethod.GET)
    public SeamResponse list(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID owner = params.optionalUuid("owner_user_identity_id");
        UUID credential = params.optionalUuid("acs_credential_id");
        int limit = Page.limit(params);
        PageCursor cursor = PageCursor.read(params);
        params.validate();
        List<Phone> rows = database.read(() -> phones.listActive(request.workspaceId(), owner, credential, cursor, limit));
        return Page.response("phones", rows, limit, request, PhoneJson::of, p -> new PageCursor(p.createdAt(), p.deviceId()));
    }

    /** Idempotent: deactivating a phone that is already deactivated succeeds and publishes nothing. */
    @POST
    @Path("/deactivate")
    @SdkMethod(HttpMethod.DELETE)
    @FencedOn({})
    public SeamResponse deactivate(SeamRequest request) throws Exception {
        UUID deviceId = request.params().requiredUuid("device_id");
        request.params().validate();
        database.inTransaction(tx -> {
            Phone phone = phones.lock(request.workspaceId(), deviceId).orElseThrow(() -> SeamException.notFound("phone"));
            if (phone.active()) {
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                phone.deactivate(now);
                phoneEvents.deactivated(tx, phone, now);
            }
            return null;
        });
        return SeamResponse.ok();
    }

    /** As Seam: the phone's owner must be a user identity of the caller's workspace that is not deleted. */
    @POST
    @Path("/simulate/create_sandbox_phone")
    @SeamAnswer("phone")
    @FencedOn(Topics.USER_IDENTITY_EVENTS)
    public SeamResponse createSandboxPhone(SeamRequest request) throws Exception {
        Phone phone = SandboxPhones.fromRequest(request.params(), request.workspaceId());
        request.params().validate();
        database.inTransaction(tx -> {
            if (!identities.exists(request.workspaceId(), phone.ownerUserIdentityId())) {
                throw SeamException.notFound("user_identity");
            }
            phones.persist(phone);
            phoneEvents.registered(tx, phone);
            return null;
        });
        return SeamResponse.of("phone", PhoneJson.of(phone));
    }
}
