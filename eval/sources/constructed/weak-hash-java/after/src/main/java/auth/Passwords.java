package auth;

import java.math.BigInteger;
import java.security.MessageDigest;

public final class Passwords {
    private Passwords() {}

    public static boolean strongEnough(String password) {
        return password.length() >= 12;
    }

    public static String hash(String password) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        byte[] digest = md.digest(password.getBytes());
        return new BigInteger(1, digest).toString(16);
    }
}
