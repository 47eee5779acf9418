package io;

import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;

public class Lines {
    public static String first(String path) throws IOException {
        BufferedReader r = new BufferedReader(new FileReader(path));
        String line = r.readLine();
        r.close();
        return line;
    }
}
