package auth;

public final class Passwords {
    private Passwords() {}

    public static boolean strongEnough(String password) {
        return password.length() >= 12;
    }
}
