from blog.text import slug


def test_simple():
    assert slug("Hello World") == "hello-world"
