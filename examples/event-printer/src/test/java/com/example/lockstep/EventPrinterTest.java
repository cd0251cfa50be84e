package com.example.lockstep;

import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServers;
import com.lockstep.testkit.TestEvents;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The example reads Lockstep's events with nothing but the registry's schemas. */
class EventPrinterTest {

    @Test
    void printsEachEventWithItsTypeAndIds() throws Exception {
        RealServers servers = RealServers.get();
        TestEvents events = TestEvents.onRealServers();
        String workspace = UUID.randomUUID().toString();
        String phone = UUID.randomUUID().toString();
        String credential = UUID.randomUUID().toString();
        events.publish(Topics.PHONE_EVENTS, phone, PhoneRegistered.newBuilder().setEventId(UUID.randomUUID().toString())
                .setEventType("phone.registered").setWorkspaceId(workspace).setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setDeviceId(phone).setOwnerUserIdentityId(UUID.randomUUID().toString()).setDeviceType("ios_phone").build());
        events.publish(Topics.ACS_CREDENTIAL_EVENTS, credential, AcsCredentialIssued.newBuilder().setEventId(UUID.randomUUID().toString())
                .setEventType("acs_credential.issued").setWorkspaceId(workspace).setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setAcsCredentialId(credential).setAcsSystemId(UUID.randomUUID().toString()).setAccessMethod("mobile_key")
                .setDeviceId(phone).build());

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        EventPrinter printer = new EventPrinter(servers.kafka().bootstrapServers(), servers.apicurio().url(),
                "example-test-" + UUID.randomUUID(), new PrintStream(output, true, StandardCharsets.UTF_8));
        Thread thread = new Thread(printer::run);
        thread.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!(printed(output).contains("acs_credential_id=" + credential) && printed(output).contains("device_id=" + phone))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        printer.close();
        thread.join(10_000);

        assertThat(printed(output)).contains("lockstep.phone.events phone.registered (com.lockstep.events.phone.PhoneRegistered) "
                + "event_id=");
        assertThat(printed(output)).containsPattern("lockstep.acs_credential.events acs_credential.issued \\("
                + "com.lockstep.events.acs_credential.AcsCredentialIssued\\) .*acs_credential_id=" + credential + ".*device_id=" + phone);
    }

    private static String printed(ByteArrayOutputStream output) {
        return output.toString(StandardCharsets.UTF_8);
    }
}
