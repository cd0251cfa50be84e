package com.lockstep.testkit;

import com.lockstep.schemas.SchemaCatalog;
import com.lockstep.schemas.registry.IncompatibleSchemaException;
import com.lockstep.schemas.registry.RegisteredVersion;
import com.lockstep.schemas.registry.SchemaRegistrar;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compatibility rule lives in the real registry: an incompatible schema is refused there too. */
class SchemaRegistryRulesTest {

    private final String registryUrl = RealServers.get().apicurio().url();

    @Test
    void registeringUnchangedSchemasAgainAddsNoVersion() {
        List<RegisteredVersion> first = SchemaRegistrar.registerAll(registryUrl);
        List<RegisteredVersion> again = SchemaRegistrar.registerAll(registryUrl);
        assertEquals(SchemaCatalog.schemas().size(), again.size());
        assertEquals(first.stream().map(RegisteredVersion::version).toList(),
                again.stream().map(RegisteredVersion::version).toList());
    }

    @Test
    void anIncompatibleChangeIsRefusedByTheRegistry() {
        SchemaRegistrar.registerAll(registryUrl);
        Schema current = SchemaCatalog.schemas().stream()
                .filter(s -> s.getFullName().equals("com.lockstep.events.phone.PhoneDeactivated")).findFirst().orElseThrow();
        // A new required field without a default: old events could no longer be read with it.
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(current.getName()).namespace(current.getNamespace()).fields();
        for (Schema.Field field : current.getFields()) {
            fields = fields.name(field.name()).type(field.schema()).noDefault();
        }
        Schema incompatible = fields.name("reason").type().stringType().noDefault().endRecord();

        IncompatibleSchemaException refused = assertThrows(IncompatibleSchemaException.class,
                () -> SchemaRegistrar.register(registryUrl, incompatible));
        assertTrue(refused.getMessage().contains("PhoneDeactivated"), refused.getMessage());
    }
}
