import java.io.FileInputStream;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;

/**
 * scripts/install --selfsigned-cert without openssl: prints the private key of a PKCS #12
 * keystore made by keytool as PEM ({@code PRIVATE KEY}, PKCS #8), the form
 * control/servercert.pem holds it in (doc/TLS.md §2). Usage: java PemKey.java FILE PASS ALIAS
 */
public final class PemKey {
    public static void main(String[] a) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(a[0])) {
            ks.load(in, a[1].toCharArray());
        }
        Key k = ks.getKey(a[2], a[1].toCharArray());
        String b = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(k.getEncoded());
        System.out.print("-----BEGIN PRIVATE KEY-----\n" + b + "\n-----END PRIVATE KEY-----\n");
    }
}
