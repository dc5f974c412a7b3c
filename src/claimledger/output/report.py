"""One self-contained HTML page per story: who asserts, omits or disagrees on each claim.

The page is drawn from a ``StoryExport`` (export.py), so the report, the exports and the ledger
say the same thing. It has no scripts, fonts or images to fetch: it opens offline, prints, and
can be mailed as one file. Sections: a coverage matrix (claims x outlets), each claim's wording
per outlet with character spans, the disagreements, and the quotes with their speakers.
"""

from __future__ import annotations

from html import escape

from claimledger import __version__
from claimledger.output.export import StoryExport
from claimledger.records import EVENT_KIND

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;
  padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#555}table{border-collapse:collapse;margin:.8rem 0}
th,td{border:1px solid #d0d0d0;padding:.25rem .45rem;vertical-align:top;text-align:left}
th.src{font-size:.75rem;max-width:8rem;overflow-wrap:break-word;font-weight:600}
td.cell{text-align:center;width:2.4rem;font-weight:700}
td.asserts{background:#c8ecd0;color:#12602a}td.omits{background:#f1f1f1;color:#999}
td.disagrees{background:#ffd9a8;color:#8a4b00}td.maybe{background:#fff6c2;color:#7a6400}
.legend span{display:inline-block;padding:0 .5rem;margin-right:.4rem;border:1px solid #ccc}
.claim{margin:1rem 0;padding:.5rem .8rem;border-left:4px solid #9ab}
.claim.split{border-left-color:#e08a1e}.src-name{font-weight:600}.span{color:#777;font-size:.8rem}
code{font-size:.8rem;color:#555}blockquote{margin:.2rem 0 .2rem 1rem}
footer{margin-top:3rem;color:#888;font-size:.8rem}
.kind{font-size:.75rem;font-weight:700;text-transform:uppercase;color:#fff;background:#4a6fa5;padding:0 .35rem;
  border-radius:3px}
"""

LABEL = {"asserts": "✓", "maybe": "?", "omits": "–", "disagrees": "≠"}


def render_report(export: StoryExport) -> str:
    """The HTML page for one story."""
    e = escape
    counts = {s: sum(1 for c in export.claims if c.status[s] in {"asserts", "disagrees"}) for s in export.sources}
    head = "".join(f'<th class="src" title="{e(s)}">{e(s)}</th>' for s in export.sources)
    rows = []
    for c in export.claims:
        cells = "".join(f'<td class="cell {c.status[s]}" title="{e(s)}: {c.status[s]}">{LABEL[c.status[s]]}</td>'
                        for s in export.sources)
        who = f" <em>({e(c.speaker)})</em>" if c.speaker else ""
        # the event claim shares its first wording with a fact claim: say which row is the event
        what = '<span class="kind">event</span> ' if c.kind == EVENT_KIND else ""
        rows.append(f'<tr id="row-{c.id}"><td><a href="#claim-{c.id}"><code>{c.id[:10]}</code></a></td>{cells}'
                    f"<td>{what}{e(short(c.canonical))}{who}</td></tr>")
    totals = "".join(f'<td class="cell">{counts[s]}</td>' for s in export.sources)
    matrix = (f'<table class="matrix"><thead><tr><th>claim</th>{head}<th>claim text</th></tr></thead>'
              f'<tbody>{"".join(rows)}</tbody><tfoot><tr><th>claims stated</th>{totals}<th></th></tr></tfoot></table>')
    details = []
    for c in export.claims:
        words = "".join(
            f'<div><span class="src-name">{e(m.source)}</span>'
            f'{" <em>may state it in other words:</em>" if m.status == "maybe" else ""} <span class="span">'
            f"[{m.start}:{m.end}] article {e(m.article_id)}</span><blockquote>{e(m.text)}</blockquote></div>"
            for m in c.mentions)
        omitted = [s for s in export.sources if c.status[s] == "omits"]
        dis = "".join(
            f"<li>{e(d.kind)}: " + "; ".join(f'<span class="src-name">{e(s)}</span> “{e(" | ".join(v))}”'
                                             for s, v in d.values.items()) + "</li>" for d in c.disagreements)
        details.append(
            f'<section class="claim{" split" if c.disagreements else ""}" id="claim-{c.id}">'
            f"<div><code>{c.id}</code> {e(c.kind)}{' · ' + e(c.speaker) if c.speaker else ''}</div>{words}"
            + (f"<div class=\"meta\">omitted by: {e(', '.join(omitted))}</div>" if omitted else "")
            + (f"<ul>{dis}</ul>" if dis else "") + "</section>")
    quotes = "".join(
        f"<tr><td>{e(q.speaker or '(unattributed)')}</td><td>{e(q.source)}</td><td>“{e(q.text)}”</td>"
        f'<td><span class="span">[{q.start}:{q.end}]</span></td></tr>' for q in export.quotes)
    n_dis = sum(1 for c in export.claims if c.disagreements)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{e(export.name)} · claimledger report</title><style>{CSS}</style></head>
<body>
<h1>{e(export.name)}</h1>
<p class="meta">Story <code>{e(export.story_id)}</code> · {len(export.sources)} outlets · {len(export.claims)} claims ·
{n_dis} with disagreements · {len(export.quotes)} quotes</p>
<h2 id="coverage">Coverage</h2>
<p class="legend"><span class="asserts" style="background:#c8ecd0">✓ asserts</span>
<span style="background:#fff6c2">? may state it in other words (check)</span>
<span style="background:#f1f1f1">– omits</span><span style="background:#ffd9a8">≠ disagrees
(states it with another date, number or wording)</span></p>
{matrix}
<h2 id="claims">Claims, as each outlet words them</h2>
{"".join(details)}
<h2 id="quotes">Quotes</h2>
<table class="quotes"><thead><tr><th>speaker</th><th>outlet</th><th>quote</th><th>span</th></tr></thead>
<tbody>{quotes}</tbody></table>
<footer>claimledger {e(__version__)} · format {e(export.format)}</footer>
</body></html>
"""


def short(text: str, n: int = 160) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
