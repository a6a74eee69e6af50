package io.raftboot.spring.grpc.security;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager that asks {@code current} for the bundle's key manager on every handshake, so a
 * reloaded SSL bundle takes effect for the next connection without rebuilding servers or
 * channels.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private final Supplier<X509ExtendedKeyManager> current;

    ReloadingKeyManager(Supplier<X509ExtendedKeyManager> current) {
        this.current = current;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return current.get().getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return current.get().chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current.get().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current.get().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current.get().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current.get().getPrivateKey(alias);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return current.get().chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current.get().chooseEngineServerAlias(keyType, issuers, engine);
    }
}
