"""The look of the HTML report: colours, the stylesheet and the status icons.

Kept apart from the markup so that the palette can be tested for contrast (WCAG AA,
tests/acceptance/test_html_report.py) and the CSS hashed for the page's Content-Security-Policy.
Everything here is constant: nothing from the input ever reaches this module.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Final

# Colour pairs that carry text. Every (text, background) pair used below is listed in
# CONTRAST_PAIRS and must reach 4.5:1, so small text stays readable for everyone.
INK: Final = "#1b2430"
MUTED: Final = "#4a5565"
PAGE: Final = "#f4f5f7"
CARD: Final = "#ffffff"
LINE: Final = "#d5d9e0"
ACCENT: Final = "#1c4f8a"
FOCUS: Final = "#1d4ed8"

# Severity and status: text colour, tint behind it, and the card's edge colour.
TONES: Final = {
    "error": ("#a3211a", "#fdeeed", "#d9534f"),
    "warning": ("#834600", "#fff4e0", "#e0a030"),
    "info": ("#1d5b99", "#eaf2fb", "#5b8fc9"),
    "ok": ("#1d6b3a", "#e8f5ec", "#4a9d68"),
    "input": ("#5b2a86", "#f3ecfa", "#8e63b8"),
    "waived": ("#3f4a5a", "#eceff3", "#8a94a3"),
    # Could not be checked fully: neither an all-clear nor a finding.
    "gap": ("#7a2357", "#fbedf4", "#c0619a"),
}
BANNER_INK: Final = "#ffffff"
BANNER_BG: Final = "#8a1c1c"

CONTRAST_PAIRS: Final = (
    (INK, CARD),
    (INK, PAGE),
    (MUTED, CARD),
    (MUTED, PAGE),
    (ACCENT, CARD),
    (ACCENT, PAGE),
    (BANNER_INK, BANNER_BG),
    *((fg, bg) for fg, bg, _ in TONES.values()),
    *((fg, CARD) for fg, _, _ in TONES.values()),
)

# One shape per status, so that severity never rests on colour alone (the word is
# always beside it too). Drawn inline: an icon font or image would be a request.
_SHAPES: Final = {
    "error": '<circle cx="10" cy="10" r="9" fill="currentColor"/>'
    '<path d="M6.6 6.6l6.8 6.8M13.4 6.6l-6.8 6.8" stroke="#fff" stroke-width="2.2" '
    'stroke-linecap="round"/>',
    "warning": '<path d="M10 1.5 19.2 18.2H.8z" fill="currentColor" stroke="currentColor" '
    'stroke-width="1.2" stroke-linejoin="round"/>'
    '<path d="M10 7.2v5.2" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/>'
    '<circle cx="10" cy="15.3" r="1.3" fill="#fff"/>',
    "info": '<circle cx="10" cy="10" r="9" fill="currentColor"/>'
    '<path d="M10 9v5.5" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/>'
    '<circle cx="10" cy="5.9" r="1.3" fill="#fff"/>',
    "ok": '<circle cx="10" cy="10" r="9" fill="currentColor"/>'
    '<path d="M5.8 10.4l2.9 2.9 5.6-6" stroke="#fff" stroke-width="2.2" fill="none" '
    'stroke-linecap="round" stroke-linejoin="round"/>',
    "waived": '<circle cx="10" cy="10" r="9" fill="currentColor"/>'
    '<path d="M7.2 6.2v7.6M12.8 6.2v7.6" stroke="#fff" stroke-width="2.4" '
    'stroke-linecap="round"/>',
    "input": '<rect x="1" y="1" width="18" height="18" rx="3" fill="currentColor"/>'
    '<path d="M10 5v6" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/>'
    '<circle cx="10" cy="14.6" r="1.3" fill="#fff"/>',
    # A question mark: what is there is not known.
    "gap": '<circle cx="10" cy="10" r="9" fill="currentColor"/>'
    '<path d="M7.2 7.7a2.9 2.9 0 1 1 4.1 2.6c-.9.4-1.3 1-1.3 1.9v.5" stroke="#fff" '
    'stroke-width="2.1" fill="none" stroke-linecap="round"/>'
    '<circle cx="10" cy="15.4" r="1.3" fill="#fff"/>',
}


def icon(tone: str) -> str:
    """An inline SVG icon, hidden from screen readers (the word beside it says it)."""
    return (
        f'<svg class="icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" '
        f'focusable="false">{_SHAPES[tone]}</svg>'
    )


_FONTS = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Liberation Sans", "Noto Sans", system-ui, sans-serif'
)


def _tone_rules() -> str:
    rules = []
    for tone, (fg, bg, edge) in TONES.items():
        rules.append(
            f".tone-{tone} .badge, .badge.tone-{tone} {{ color: {fg}; background: {bg}; "
            f"border-color: {edge}; }}\n"
            f".finding.tone-{tone} {{ border-left-color: {edge}; }}\n"
            f".verdict.tone-{tone} {{ border-color: {edge}; background: {bg}; }}\n"
            f".verdict.tone-{tone} .verdict-icon {{ color: {fg}; }}\n"
            f".count.tone-{tone} {{ border-top-color: {edge}; }}\n"
            f".count.tone-{tone} .count-word {{ color: {fg}; }}\n"
        )
    return "".join(rules)


CSS: Final = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
html {{ background: {PAGE}; color: {INK}; }}
body {{ margin: 0; font-family: {_FONTS}; font-size: 1rem; line-height: 1.55;
  -webkit-text-size-adjust: 100%; }}
a {{ color: {ACCENT}; text-underline-offset: 0.15em; }}
a:focus-visible {{ outline: 3px solid {FOCUS}; outline-offset: 2px; border-radius: 2px; }}
code {{ font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono",
  monospace; font-size: 0.88em; background: {PAGE}; border: 1px solid {LINE};
  border-radius: 4px; padding: 0 0.25em; overflow-wrap: anywhere; }}
.skip {{ position: absolute; left: -999em; }}
.skip:focus {{ left: 1rem; top: 1rem; background: {CARD}; padding: 0.5rem 0.75rem;
  z-index: 2; }}
.wrap {{ max-width: 58rem; margin: 0 auto; padding: 0 1.25rem; }}
.icon {{ width: 1.1em; height: 1.1em; vertical-align: -0.18em; flex: none; }}

.reveal-banner {{ background: {BANNER_BG}; color: {BANNER_INK}; font-weight: 600;
  padding: 0.75rem 1.25rem; text-align: center; }}

header.top {{ background: {CARD}; border-bottom: 1px solid {LINE}; padding: 2rem 0 1.5rem; }}
.kicker {{ margin: 0; color: {MUTED}; font-size: 0.9rem; letter-spacing: 0.06em;
  text-transform: uppercase; font-weight: 600; }}
h1 {{ margin: 0.25rem 0 0.5rem; font-size: 2rem; line-height: 1.2; }}
.meta {{ margin: 0; color: {MUTED}; }}

main.wrap {{ padding-top: 1.75rem; padding-bottom: 2rem; }}
h2 {{ font-size: 1.45rem; line-height: 1.3; margin: 2.25rem 0 0.75rem; }}
h3 {{ font-size: 1.15rem; line-height: 1.35; margin: 0; }}
h4 {{ font-size: 1.05rem; line-height: 1.35; margin: 0; }}

.verdict {{ border: 2px solid; border-radius: 10px; padding: 1.25rem 1.5rem;
  margin: 0 0 1.25rem; }}
.verdict-head {{ display: flex; gap: 0.75rem; align-items: flex-start; }}
.verdict-icon .icon {{ width: 2rem; height: 2rem; }}
.verdict h2 {{ margin: 0; font-size: 1.5rem; }}
.verdict p {{ margin: 0.5rem 0 0; }}

.counts {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
  gap: 0.75rem; list-style: none; padding: 0; margin: 0 0 1.5rem; }}
.count {{ background: {CARD}; border: 1px solid {LINE}; border-top: 4px solid;
  border-radius: 8px; padding: 0.75rem 1rem; }}
.count-number {{ display: block; font-size: 1.9rem; font-weight: 700; line-height: 1.1; }}
.count-word {{ font-weight: 600; }}
.count-note {{ display: block; color: {MUTED}; font-size: 0.88rem; }}

table {{ width: 100%; border-collapse: collapse; background: {CARD};
  border: 1px solid {LINE}; }}
.table-wrap {{ overflow-x: auto; margin: 0 0 1.5rem; }}
.table-wrap:focus-visible {{ outline: 3px solid {FOCUS}; outline-offset: 2px; }}
caption {{ text-align: left; font-weight: 600; padding: 0 0 0.5rem; }}
th, td {{ text-align: left; padding: 0.55rem 0.75rem; border-bottom: 1px solid {LINE};
  vertical-align: top; }}
thead th {{ font-size: 0.9rem; color: {MUTED}; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
tbody tr:last-child th, tbody tr:last-child td {{ border-bottom: 0; }}

.badge {{ display: inline-flex; align-items: center; gap: 0.35em; border: 1px solid;
  border-radius: 999px; padding: 0.1em 0.65em; font-size: 0.9rem; font-weight: 600;
  white-space: nowrap; }}

section.area {{ margin: 0 0 2rem; }}
.area-head {{ display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5rem 1rem;
  border-bottom: 2px solid {LINE}; padding-bottom: 0.4rem; margin: 2.25rem 0 1rem; }}
.area-head h2, .area-head h3 {{ margin: 0; }}
.area-note {{ color: {MUTED}; margin: 0 0 1rem; }}
.school-head {{ border-bottom: 3px solid {ACCENT}; }}

.finding {{ background: {CARD}; border: 1px solid {LINE}; border-left: 6px solid;
  border-radius: 8px; padding: 1rem 1.25rem; margin: 0 0 1rem; }}
.finding-head {{ display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: center;
  margin-bottom: 0.6rem; }}
.finding-head .title {{ flex: 1 1 20rem; }}
.tag {{ color: {MUTED}; font-size: 0.88rem; }}
.pill {{ color: {INK}; background: {PAGE}; border: 1px solid {LINE}; border-radius: 999px;
  padding: 0.1em 0.65em; font-size: 0.9rem; font-weight: 600; white-space: nowrap; }}
.what {{ margin: 0 0 0.75rem; }}
.compare {{ display: grid; grid-template-columns: 1fr 1fr; gap: 0.75rem; margin: 0 0 0.9rem;
  align-items: start; }}
.compare.stacked {{ grid-template-columns: 1fr; }}
.group-lead {{ margin: 0 0 0.3rem; font-weight: 600; }}
.compare > div {{ border: 1px solid {LINE}; border-radius: 6px; padding: 0.6rem 0.8rem; }}
.compare .policy {{ background: {PAGE}; }}
.label {{ margin: 0 0 0.2rem; font-size: 0.85rem; font-weight: 700; color: {MUTED};
  text-transform: uppercase; letter-spacing: 0.04em; }}
.compare p {{ margin: 0 0 0.3rem; }}
.where {{ color: {MUTED}; font-size: 0.88rem; }}
.revealed {{ display: inline-block; margin-left: 0.35em; padding: 0 0.4em;
  border: 1px dashed {BANNER_BG}; color: {BANNER_BG}; border-radius: 4px;
  font-size: 0.9em; }}
.instances {{ margin: 0 0 0.9rem; padding-left: 1.25rem; }}
.instances li {{ margin: 0 0 0.3rem; }}
.more {{ color: {MUTED}; }}
dl.facts {{ display: grid; grid-template-columns: 9.5rem 1fr; gap: 0.45rem 1rem;
  margin: 0; }}
dl.facts dt {{ font-weight: 700; }}
dl.facts dd {{ margin: 0; }}
dl.facts dd p {{ margin: 0 0 0.4rem; }}
dl.facts dd p:last-child {{ margin: 0; }}
dl.waiver {{ background: {PAGE}; border: 1px solid {LINE}; border-radius: 6px;
  padding: 0.6rem 0.8rem; margin: 0 0 0.9rem; }}
.sources {{ margin: 0; padding-left: 1.1rem; }}
.sources li {{ margin: 0 0 0.2rem; }}
.ref {{ margin: 0.75rem 0 0; color: {MUTED}; font-size: 0.85rem; }}
.all-clear {{ background: {CARD}; border: 1px dashed {LINE}; border-radius: 8px;
  padding: 0.75rem 1rem; margin: 0 0 1rem; }}
.not-checked {{ background: {TONES["gap"][1]}; border: 1px dashed {TONES["gap"][2]};
  border-radius: 8px; padding: 0.75rem 1rem; margin: 0 0 1rem; }}
.verdict ul {{ margin: 0.5rem 0 0; padding-left: 1.25rem; }}
.verdict li {{ margin: 0 0 0.3rem; }}

.about {{ background: {CARD}; border: 1px solid {LINE}; border-radius: 8px;
  padding: 0.25rem 1.5rem 1rem; margin-top: 2.5rem; }}
.about h2 {{ margin-top: 1.25rem; }}
.about h3 {{ margin: 1.25rem 0 0.4rem; }}
.files {{ columns: 2 16rem; margin: 0.25rem 0 0; padding-left: 1.1rem; }}
.files li {{ break-inside: avoid; }}
footer {{ color: {MUTED}; font-size: 0.88rem; padding: 0 0 2.5rem; }}
.step {{ color: {INK}; font-size: 0.92rem; }}
.up {{ margin: 0 0 0.5rem; font-size: 0.92rem; }}
.since {{ color: {MUTED}; border: 1px solid {LINE}; border-radius: 4px; padding: 0 0.4em;
  font-size: 0.85rem; white-space: nowrap; }}
.since-new {{ color: {TONES["error"][0]}; border-color: {TONES["error"][2]}; font-weight: 700; }}
.since-line {{ font-weight: 600; }}
.plan, .changes, .sign-off {{ background: {CARD}; border: 1px solid {LINE};
  border-radius: 8px; padding: 0.25rem 1.5rem 1rem; margin-top: 2rem; }}
.plan-table td {{ vertical-align: top; }}
.plan-table .when {{ white-space: nowrap; font-weight: 600; }}
.urgent {{ margin: 0 0 0.6rem; padding-left: 1.4rem; }}
.urgent li {{ margin: 0 0 0.35rem; }}
.sign-box {{ border: 2px solid {INK}; border-radius: 6px; padding: 0.75rem 1rem; }}
.sign-row {{ display: flex; align-items: flex-end; gap: 0.75rem; margin: 0.9rem 0; }}
.sign-label {{ flex: 0 0 5.5rem; font-weight: 700; }}
.sign-line {{ flex: 1; border-bottom: 1px solid {INK}; min-height: 1.6rem; }}

{_tone_rules()}
@media (max-width: 40rem) {{
  h1 {{ font-size: 1.6rem; }}
  .compare {{ grid-template-columns: 1fr; }}
  dl.facts {{ grid-template-columns: 1fr; }}
  dl.facts dd {{ margin-bottom: 0.4rem; }}
  th, td {{ padding: 0.45rem 0.5rem; }}
  .counts {{ grid-template-columns: repeat(auto-fit, minmax(6.5rem, 1fr)); gap: 0.5rem; }}
  .count {{ padding: 0.5rem 0.6rem; }}
  .count-note {{ display: none; }}
  .verdict {{ padding: 1rem; }}
  .plan, .changes, .sign-off {{ padding: 0.25rem 0.9rem 0.75rem; }}
  /* On a phone each table row becomes a card: no sideways scrolling, and every number
     keeps its label beside it. */
  .table-wrap table, .table-wrap tbody, .table-wrap tr, .table-wrap th,
  .table-wrap td {{ display: block; }}
  .table-wrap thead {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }}
  .table-wrap caption {{ display: block; width: auto; }}
  .table-wrap tr {{ border-bottom: 1px solid {LINE}; padding: 0.4rem 0; }}
  .table-wrap th, .table-wrap td {{ border: 0; padding: 0.15rem 0.5rem; }}
  .table-wrap td.num {{ display: inline-block; text-align: left; }}
  .table-wrap td[data-label]::before {{ content: attr(data-label) ": "; color: {MUTED};
    font-size: 0.85rem; }}
  .plan-table, .plan-table tbody, .plan-table tr, .plan-table td {{ display: block; }}
  .plan-table thead {{ display: none; }}
  .plan-table tr {{ border-bottom: 1px solid {LINE}; padding: 0.4rem 0; }}
  .plan-table td {{ border: 0; padding: 0.15rem 0; }}
}}

@page {{ size: A4; margin: 15mm 15mm 18mm;
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
    font-family: {_FONTS}; font-size: 8.5pt; color: {MUTED}; }} }}
@media print {{
  html {{ background: {CARD}; font-size: 12.5px; }}
  body {{ line-height: 1.42; }}
  dl.facts {{ grid-template-columns: 8rem 1fr; gap: 0.3rem 0.9rem; }}
  .finding {{ padding: 0.75rem 1rem; margin-bottom: 0.75rem; }}
  .compare {{ margin-bottom: 0.6rem; }}
  th.num {{ white-space: nowrap; }}
  .area-note {{ break-after: avoid; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  .skip {{ display: none; }}
  .wrap {{ max-width: none; padding: 0; }}
  header.top {{ padding: 0 0 0.75rem; }}
  main.wrap {{ padding-top: 0.75rem; }}
  h2, h3, .area-head {{ break-after: avoid; }}
  .finding, .verdict, .count, tr, .compare, .all-clear, .not-checked {{
    break-inside: avoid; }}
  table {{ break-inside: auto; }}
  thead {{ display: table-header-group; }}
  .table-wrap {{ overflow: visible; }}
  .sources a[href]::after {{ content: " (" attr(href) ")"; color: {MUTED};
    overflow-wrap: anywhere; }}
  a {{ color: {INK}; }}
  .about {{ break-before: page; border: 0; padding: 0; }}
  .plan {{ break-before: page; }}
  .sign-off, .plan-table tr, .school {{ break-inside: avoid; }}
}}
"""


def page_margin(box: str, text: str, color: str = MUTED) -> str:
    """Text in a printed page's margin box (`bottom-left`, `top-center`...). `text` lands
    inside a CSS string, so it must be built from constants and dates, never from input."""
    if not re.fullmatch(r"[\w ,.:;()-]*", text) or not re.fullmatch(r"[a-z-]+", box):
        raise ValueError(f"not safe in a CSS string: {text!r}")
    return (
        f'@page {{ @{box} {{ content: "{text}"; font-family: {_FONTS}; '
        f"font-size: 8.5pt; font-weight: 600; color: {color}; }} }}\n"
    )


def csp_hash(css: str) -> str:
    """The CSP source that allows exactly this stylesheet and no other."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
