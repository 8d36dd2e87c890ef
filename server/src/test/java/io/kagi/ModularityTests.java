package io.kagi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails the build when a module reaches into another module's internals, depends on a module its
 * {@code package-info.java} does not allow, or modules form a cycle; and writes the modules' diagrams
 * and canvases (Spring Modulith's {@link Documenter}) — into {@code docs/modules} when the build runs
 * with {@code -Pdocs} ({@code kagi.docs.write=true}), otherwise under {@code target/}.
 */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(KagiApplication.class);

    @Test
    void modulesOnlyUseEachOthersPublicApiAndTheirAllowedDependencies() {
        modules.verify();
    }

    @Test
    void writesTheModuleDocumentation() throws IOException {
        String folder = Boolean.getBoolean("kagi.docs.write") ? "../docs/modules" : "target/modules";
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(folder))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();

        try (Stream<Path> written = Files.list(Path.of(folder))) {
            assertThat(written.map(path -> path.getFileName().toString()))
                    .contains("components.puml", "module-bizweb.puml", "module-confirmation.puml", "module-bizweb.adoc");
        }
    }
}
