"""Reading shipped documents with the XML parser (dunning/documents/xhtml.py): the same tree as the HTML5
parser WeasyPrint uses, for every document the templates write; anything else is left to the HTML5 parser."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
import tinyhtml5

from dunning.documents.letter import compose
from dunning.documents.reminder import open_reminder_ids
from dunning.documents.statement import statement_html
from dunning.documents.xhtml import well_formed_tree
from dunning.reminders.proposal import ProposalOptions, propose
from tests.test_pdf import AS_OF


def shape(element: ElementTree.Element) -> tuple[Any, ...]:
    """An element as (tag, attributes, text, children with their tails); comments are left out (WeasyPrint
    skips them), and the texts on either side of one joined."""
    text, children = element.text or "", []
    for child in element:
        if not isinstance(child.tag, str):
            if children:
                children[-1] = (*children[-1][:-1], children[-1][-1] + (child.tail or ""))
            else:
                text += child.tail or ""
            continue
        children.append((*shape(child), child.tail or ""))
    return (element.tag, dict(element.attrib), text, children)


def html5(html: str) -> tuple[Any, ...]:
    return shape(tinyhtml5.parse(html, namespace_html_elements=False))


def shipped_documents(db) -> list[str]:
    """Every draft's letter (the sample's languages and currencies, a QR code or a QR-bill, texts with what
    Jinja2 escapes) and statements of the first customers."""
    propose(db, ProposalOptions(as_of=AS_OF))
    hostile = "<script>alert('x')</script> & \"Co\" {{ 7*7 }}"
    db.execute("update customers set name = $n where customer_no = (select min(customer_no) from customers)",
               {"n": hostile})  # fmt: skip
    letters = [compose(db, rid).letter_html for rid in open_reminder_ids(db)]
    customers = [r[0] for r in db.rows("select customer_no from customers order by 1 limit 4")]
    return letters + [statement_html(db, no, AS_OF) for no in customers]


def test_every_shipped_document_is_read_by_the_xml_parser_into_the_html5_parser_s_tree(sample_db):
    documents = shipped_documents(sample_db)
    assert len(documents) > 10
    languages = set()
    for html in documents:
        root = well_formed_tree(html)
        assert root is not None, html[:300]
        assert shape(root) == html5(html)
        languages.add(root.get("lang"))
    assert len(languages) > 1  # the sample's customers write in several languages


def page(body: str, head: str = "<title>t</title>") -> str:
    return f"<!DOCTYPE html>\n<html lang='en'>\n<head>{head}</head>\n<body>{body}</body>\n</html>\n"


@pytest.mark.parametrize(
    "html",
    [
        page("<p>Dear <b>Customer</b> &amp; co &lt;3 &#34;x&#34; &#39;y&#39;</p>"),
        page(
            '<table class="t"><thead><tr><th>a</th></tr></thead><tbody>\n<tr><td>1</td></tr>\n</tbody></table>'
        ),
        page(
            '<div class="a"><span>x</span><img src="data:," alt="q"/></div><ul><li>a<ul><li>b</li></ul></li></ul>'
        ),
        page(
            "<p>x</p>",
            head='<meta charset="utf-8"/><link rel="stylesheet" href="a.css"/><style>p > b {}</style>',
        ),
    ],
)
def test_a_well_formed_document_gets_the_html5_parser_s_tree(html):
    root = well_formed_tree(html)
    assert root is not None
    assert shape(root) == html5(html)


# documents an HTML5 parser reads into another tree than the XML parser does
DIFFERENT_IN_HTML5 = {
    "a row straight in a table": page("<table><tr><td>1</td></tr></table>"),
    "a block in a paragraph": page("<p>one<div>two</div></p>"),
    "a non-void element closed with />": page('<div class="x"/><p>after</p>'),
    "a reference to a C1 control": page("<p>&#128;uro</p>"),
    "an escape in a style sheet": page("<p>x</p>", head="<style>p::after { content: '&amp;' }</style>"),
    "text straight in a table": page("<table>loose<tbody><tr><td>1</td></tr></tbody></table>"),
    "a link in a link": page('<p><a href="#a">one <a href="#b">two</a></a></p>'),
    "a list item in a list item": page("<ul><li>one<li>two</li></li></ul>"),
    "text in the head": page("<p>x</p>", head="<title>t</title>stray"),
    "a CDATA section": page("<p><![CDATA[x]]></p>"),
    "a column outside a column group": page("<table><col/><tbody><tr><td>1</td></tr></tbody></table>"),
    "an end tag of a void element": page("<p>a<br></br>b</p>"),
    "a no-break space in a table": page("<table>&#160;<tbody><tr><td>cell</td></tr></tbody></table>"),
    "a no-break space in the head": page("<p>x</p>", head="&#160;<title>t</title>"),
    "a comment in a style sheet": page("<p>x</p>", head="<style><!-- p { color: red } --></style>"),
    "an element in a style sheet": page("<p>x</p>", head="<style>p { }<b>x</b></style>"),
    "a C1 reference with leading zeros": page("<p>a&#0150;b</p>"),
    "a body in the body": page('<div><body class="x"></body></div>'),
    "an html element in the body": page('<div><html lang="de"></html></div>'),
    "a namespace declared and not used": page('<p xmlns:x="urn:x">x</p>'),
}
# documents refused to be safe although an HTML5 parser reads them the same way
REFUSED_TO_BE_SAFE = {
    "a namespace": page("<p>x</p>").replace(
        "<html lang='en'>", '<html xmlns="http://www.w3.org/1999/xhtml">'
    ),
    "an element HTML5 parses in its own way": page("<pre>\ncode</pre>"),
    "an upper-case attribute": page('<p CLASS="x">x</p>'),
    "a DTD of its own": '<!DOCTYPE html [<!ENTITY e "x">]><html><head></head><body>&e;</body></html>',
    "a processing instruction": '<?xml version="1.0"?>' + page("<p>x</p>"),
    "a document without a head": "<html><body><p>x</p></body></html>",
    "an HTML entity": page("<p>a&nbsp;b</p>"),
    "not well-formed": page("<p>one<br>two</p>"),
}


@pytest.mark.parametrize("html", DIFFERENT_IN_HTML5.values(), ids=DIFFERENT_IN_HTML5.keys())
def test_a_document_the_html5_parser_rebuilds_is_left_to_it(html):
    assert well_formed_tree(html) is None
    try:
        xml = shape(ElementTree.fromstring(html.replace("<!DOCTYPE html>", "")))
    except ElementTree.ParseError:
        return  # XML cannot read it at all
    assert xml != html5(html)  # the XML parser's tree would have been another one


@pytest.mark.parametrize("html", REFUSED_TO_BE_SAFE.values(), ids=REFUSED_TO_BE_SAFE.keys())
def test_a_document_outside_what_the_xml_parser_is_trusted_with_is_left_to_the_html5_parser(html):
    assert well_formed_tree(html) is None


def test_what_the_xml_parser_cannot_read_is_left_to_the_html5_parser_without_an_error():
    assert well_formed_tree(page("<p>a\ud800b</p>")) is None  # a lone surrogate
    deep = page("<ul><li>" + "<span>" * 3000 + "x" + "</span>" * 3000 + "</li></ul>")
    assert well_formed_tree(deep) is not None  # deeper than Python's recursion limit
