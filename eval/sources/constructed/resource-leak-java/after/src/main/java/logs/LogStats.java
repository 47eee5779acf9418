package logs;

import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;

public class LogStats {
    public static int errorsIn(java.util.List<String> lines) {
        int n = 0;
        for (String l : lines) if (l.contains("ERROR")) n++;
        return n;
    }

    public static int lineCount(String path) throws IOException {
        BufferedReader reader = new BufferedReader(new FileReader(path));
        int n = 0;
        while (reader.readLine() != null) n++;
        return n;
    }
}
