package io.sluice.schemas.registry;

import io.sluice.common.client.RegistrySettings;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * The {@link SSLContext} for https to the registry from {@code schema.registry.ssl.truststore.*} and
 * {@code schema.registry.ssl.keystore.*}: a private CA to trust, a client certificate for mTLS. Without
 * either, the JDK's default context (the system CAs) is used.
 */
final class RegistryTls {

    private RegistryTls() {
    }

    static SSLContext context(RegistrySettings registry) {
        if (!registry.hasTlsStores()) {
            try {
                return SSLContext.getDefault();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no default TLS context", e);
            }
        }
        try {
            TrustManagerFactory trust = null;
            if (registry.property(RegistrySettings.TRUSTSTORE_LOCATION).isPresent()) {
                KeyStore store = load(registry, RegistrySettings.TRUSTSTORE_LOCATION,
                        RegistrySettings.TRUSTSTORE_PASSWORD, RegistrySettings.TRUSTSTORE_TYPE);
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (registry.property(RegistrySettings.KEYSTORE_LOCATION).isPresent()) {
                KeyStore store = load(registry, RegistrySettings.KEYSTORE_LOCATION,
                        RegistrySettings.KEYSTORE_PASSWORD, RegistrySettings.KEYSTORE_TYPE);
                String keyPassword = registry.property(RegistrySettings.KEY_PASSWORD)
                        .orElse(registry.property(RegistrySettings.KEYSTORE_PASSWORD).orElse(""));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS to the schema registry from "
                    + "schema.registry.ssl.*: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(RegistrySettings registry, String locationKey, String passwordKey, String typeKey)
            throws GeneralSecurityException {
        String location = registry.property(locationKey).orElseThrow();
        // PKCS12 also reads JKS files (keystore.type.compat), so the default fits both.
        String type = registry.property(typeKey).orElse("PKCS12");
        char[] password = registry.property(passwordKey).map(String::toCharArray).orElse(null);
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password);
        } catch (IOException e) {
            // Wrong passwords surface here too; name the store, never the password.
            throw new IllegalArgumentException(locationKey + ": cannot load '" + location + "' as " + type + ": "
                    + e.getMessage(), e);
        }
        return store;
    }
}
