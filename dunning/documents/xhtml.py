"""Reading the documents this project writes, fast: well-formed XHTML through Python's C XML parser.

WeasyPrint parses HTML with tinyhtml5, an HTML5 parser in pure Python: about 3.5 ms of a letter's 74 ms. The
letters and statements come from the project's templates, which write well-formed XHTML (void elements closed,
no entities but the five escapes Jinja2 writes), and expat builds their tree in under 0.1 ms.
well_formed_tree() returns that tree only where an HTML5 parser builds the same one: the document parses as
XML, and it has none of what the two read differently (namespaces, DTDs, CDATA, processing instructions,
comments, references to C1 controls, escapes or elements inside a style sheet, a non-void element closed with
'/>', a void one closed with '</br>') and none of the places where an HTML5 parser rebuilds the tree (a row
outside a row group, a block inside a paragraph, a list item outside a list, text other than HTML's white space
in a table or in the head, elements it treats specially or allows in one place only). Otherwise it returns None
and WeasyPrint parses the document as HTML, as it would anyway (pdf.py). The only difference left is that XML
turns a tab or line break inside an attribute value into a space, which means the same in a class list, a
style attribute, a URL or alternative text. tests/test_xhtml.py checks that both parsers build the same tree
for every shipped document.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

VOID = frozenset("br col img link meta wbr".split())
PHRASING = frozenset("a abbr b bdi bdo br cite code data dfn em i img kbd mark q s samp small span strong sub sup"
                     " time u var wbr".split())  # fmt: skip
FLOW = frozenset("address article aside blockquote div dl dd dt figcaption figure footer h1 h2 h3 h4 h5 h6 header"
                 " main nav ol p section ul li".split())  # fmt: skip
TABLE = frozenset("table caption colgroup col thead tbody tfoot tr th td".split())
HEAD = frozenset("meta title link style".split())
ALLOWED = VOID | PHRASING | FLOW | TABLE | HEAD | {"html", "head", "body"}
PARENTS = {  # elements an HTML5 parser moves or drops unless they sit in one of these (html: in none)
    "html": set(), "head": {"html"}, "body": {"html"},
    "caption": {"table"}, "colgroup": {"table"}, "col": {"colgroup"}, "thead": {"table"}, "tbody": {"table"},
    "tfoot": {"table"}, "tr": {"thead", "tbody", "tfoot"}, "td": {"tr"}, "th": {"tr"}, "li": {"ul", "ol"},
    "dt": {"dl"}, "dd": {"dl"}, "meta": {"head"}, "title": {"head"}, "link": {"head"}, "style": {"head"},
}  # fmt: skip
CHILDREN = {  # elements whose children an HTML5 parser rebuilds unless they are these (and no text)
    "html": ("head", "body"), "head": HEAD, "table": {"caption", "colgroup", "thead", "tbody", "tfoot"},
    "colgroup": {"col"}, "thead": {"tr"}, "tbody": {"tr"}, "tfoot": {"tr"}, "tr": {"td", "th"},
}  # fmt: skip
NOT_WITHIN_ITSELF = ("a", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd")  # p: only phrasing inside
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))

DOCTYPE = re.compile(r"\s*<!DOCTYPE html>", re.IGNORECASE)
SELF_CLOSED = re.compile(r"<([A-Za-z][^\s/>]*)[^<>]*/>")
VOID_CLOSED = re.compile(r"</(?:br|col|img|link|meta|wbr)\s*>", re.IGNORECASE)  # HTML5 reads </br> as <br>
C1_REFERENCE = re.compile(r"&#(?:0*(?:12[89]|1[3-5][0-9])|[xX]0*[89][0-9a-fA-F]);")
ESCAPE_IN_STYLE = re.compile(r"<style\b[^>]*>[^<]*&", re.IGNORECASE)  # a style has no children (checked)
HTML_SPACE = " \t\n\r\f"  # white space to an HTML5 parser; str.strip() would also take no-break spaces


def well_formed_tree(html: str) -> ElementTree.Element | None:
    """The document's tree (the root html element) when it is XHTML that an HTML5 parser reads the same way;
    None otherwise, for the HTML5 parser to read."""
    source = DOCTYPE.sub("", html, count=1) if html.lstrip()[:9].upper() == "<!DOCTYPE" else html
    if "<!" in source or "<?" in source or "xmlns" in source:
        return None  # comments too: the XML parser drops them, HTML5 keeps them (and reads them in a style)
    if C1_REFERENCE.search(source) or VOID_CLOSED.search(source):
        return None
    if ESCAPE_IN_STYLE.search(source) or any(m[1].lower() not in VOID for m in SELF_CLOSED.finditer(source)):
        return None
    try:
        root = ElementTree.fromstring(source)
    except (ElementTree.ParseError, UnicodeError):  # not XML, or a lone surrogate
        return None
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"] or not _same_in_html5(root):
        return None
    end = source.rstrip()
    if not end.endswith("</html>"):
        return None
    body = root[1]
    root.text = None  # white space before <head>, which an HTML5 parser drops
    # white space after </body> and after </html>, which an HTML5 parser adds to the body's end
    after = (body.tail or "") + source[len(end) :]
    if len(body):
        body[-1].tail = (body[-1].tail or "") + after
    else:
        body.text = (body.text or "") + after
    body.tail = None
    return root


def _same_in_html5(root: ElementTree.Element) -> bool:
    """Whether no element of the tree is one an HTML5 parser would put elsewhere, drop or close early."""
    stack = [(root, "")]
    while stack:
        element, parent = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag not in ALLOWED or any(_odd_name(name) for name in element.attrib):
            return False
        if parent and tag in PARENTS and parent not in PARENTS[tag]:
            return False
        children = list(element)
        if tag in VOID and (children or element.text):
            return False
        if tag in CHILDREN:
            if _has_text(element.text) or any(
                c.tag not in CHILDREN[tag] or _has_text(c.tail) for c in children
            ):
                return False
        if tag in ("title", "style") and children:  # raw text to an HTML5 parser
            return False
        if tag == "p" and any(d.tag not in PHRASING for d in element.iter() if d is not element):
            return False
        if tag in NOT_WITHIN_ITSELF and _nests_itself(element, tag):
            return False
        stack.extend((child, tag) for child in children)
    return True


def _nests_itself(element: ElementTree.Element, tag: str) -> bool:
    """Whether an element holds another that an HTML5 parser would close it for: a link in a link, a heading in
    a heading, a list item in a list item without a list between them, and so on."""
    kinds = HEADINGS if tag in HEADINGS else {tag}
    stack = list(element)
    while stack:
        child = stack.pop()
        if child.tag in kinds:
            return True
        if tag in ("li", "dt", "dd") and child.tag in ("ul", "ol", "dl"):
            continue  # a nested list starts a new level
        stack.extend(child)
    return False


def _odd_name(name: str) -> bool:
    return name != name.lower() or ":" in name or "{" in name


def _has_text(text: str | None) -> bool:
    return bool(text and text.strip(HTML_SPACE))
