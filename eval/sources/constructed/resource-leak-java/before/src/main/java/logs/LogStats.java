package logs;

public class LogStats {
    public static int errorsIn(java.util.List<String> lines) {
        int n = 0;
        for (String l : lines) if (l.contains("ERROR")) n++;
        return n;
    }
}
