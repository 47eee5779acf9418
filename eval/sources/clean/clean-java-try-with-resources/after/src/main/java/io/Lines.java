package io;

import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;

public class Lines {
    public static String first(String path) throws IOException {
        try (BufferedReader r = new BufferedReader(new FileReader(path))) {
            return r.readLine();
        }
    }
}
