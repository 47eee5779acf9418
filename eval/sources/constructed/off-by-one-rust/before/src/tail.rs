pub fn count_lines(text: &str) -> usize {
    text.lines().count()
}
