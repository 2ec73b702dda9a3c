package io.github.purecnn.cli;

import io.github.purecnn.testing.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as a user runs it, with the library and its dependencies on the class path but
 * not the tests' logging configuration: without one of their own, logback would print every DEBUG
 * line of the library to standard output, among the data. The command line's own configuration
 * keeps standard output for data and logs INFO and above to standard error; a configuration the
 * user names wins.
 */
class LoggingTest {
    @TempDir
    static Path dir;
    private static Path data;

    @BeforeAll
    static void smallData() throws IOException {
        data = Files.createDirectory(dir.resolve("mnist"));
        SmallMnist.write(data, 20, 10);
    }

    @Test
    void withoutAConfigurationOnlyDataReachesStandardOutputAndNoDebugLines() throws Exception {
        ChildJvm.Result r = new ChildJvm().withoutTestClasses().options("-Xmx128m")
                .run(dir, Main.class.getName(), List.of("show", "--data", data.toString(), "--index", "0"));
        assertEquals(Main.OK, r.code(), r.describe());
        assertTrue(r.out().startsWith("training image 0 of 20, label 5\n"), r.describe());
        assertFalse(r.out().contains("DEBUG") || r.err().contains("DEBUG"), r.describe());
    }

    @Test
    void aConfigurationTheUserNamesWins() throws Exception {
        Path config = Files.writeString(dir.resolve("debug.xml"), """
                <configuration>
                  <appender name="E" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%level %logger{0} %msg%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="E"/></root>
                </configuration>
                """);
        ChildJvm.Result r = new ChildJvm().withoutTestClasses().options("-Xmx128m", "-Dlogback.configurationFile=" + config)
                .run(dir, Main.class.getName(), List.of("show", "--data", data.toString(), "--index", "0"));
        assertEquals(Main.OK, r.code(), r.describe());
        assertTrue(r.err().contains("DEBUG Mnist loaded "), r.describe());
    }
}
