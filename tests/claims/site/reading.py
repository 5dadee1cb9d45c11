"""Reading reader pages in tests: parse the HTML, get the visible text."""

import json

from bs4 import BeautifulSoup


def page(response) -> BeautifulSoup:
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def json_ld(soup: BeautifulSoup) -> list:
    return [
        json.loads(script.string)
        for script in soup.find_all("script", attrs={"type": "application/ld+json"})
    ]
