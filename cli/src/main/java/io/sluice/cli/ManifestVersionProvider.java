package io.sluice.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code sluice --version}: the Implementation-Version of sluice.jar's manifest, and the Java running it. */
final class ManifestVersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Sluice.class.getPackage().getImplementationVersion();
        return new String[] {
                "sluice " + (version == null ? "(development build, not from sluice.jar)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
