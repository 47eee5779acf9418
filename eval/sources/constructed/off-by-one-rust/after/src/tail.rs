pub fn count_lines(text: &str) -> usize {
    text.lines().count()
}

pub fn last_lines(text: &str, n: usize) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len() - n;
    lines[start..].to_vec()
}
