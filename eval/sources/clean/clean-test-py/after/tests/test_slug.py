import pytest

from blog.text import slug


def test_simple():
    assert slug("Hello World") == "hello-world"


@pytest.mark.parametrize("title,expected", [
    ("  Many   spaces ", "many-spaces"),
    ("MiXeD Case", "mixed-case"),
    ("", ""),
])
def test_edge_cases(title, expected):
    assert slug(title) == expected
