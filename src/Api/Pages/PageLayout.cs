using System.Text.Encodings.Web;

namespace Provenance.Api.Pages;

/// <summary>The frame every page shares: head, styles (screen and print), header and footer.</summary>
internal static class PageLayout
{
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static IResult Html(string title, string body, int statusCode = 200, string? refreshSeconds = null) =>
        Results.Content(Render(title, body, refreshSeconds), "text/html; charset=utf-8", statusCode: statusCode);

    public static string Render(string title, string body, string? refreshSeconds = null) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{(refreshSeconds is null ? "" : $"<meta http-equiv=\"refresh\" content=\"{refreshSeconds}\">")}}
        <title>{{Encode(title)}} · Provenance</title>
        <style>{{Styles}}</style>
        </head>
        <body>
        <header class="top"><a href="/" class="brand">Provenance</a><span class="tag">authentic or generated? evidence, not guesses</span></header>
        <main>
        {{body}}
        </main>
        <footer>Provenance · Content Credentials (C2PA), invisible watermark, transparency ledger, classifier.</footer>
        </body>
        </html>
        """;

    private const string Styles = """
        :root { --ink:#1b1f24; --muted:#5b6470; --line:#d8dde3; --ok:#1f7a3a; --warn:#9a6700; --bad:#b42318; --info:#1f5fa8; --bg:#f6f7f9; }
        * { box-sizing: border-box; }
        body { margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
        header.top { display:flex; gap:1rem; align-items:baseline; padding:.8rem 1.5rem; background:#fff; border-bottom:1px solid var(--line); }
        .brand { font-weight:700; font-size:1.2rem; color:var(--ink); text-decoration:none; }
        .tag { color:var(--muted); font-size:.9rem; }
        main { max-width:960px; margin:1.5rem auto; padding:0 1rem; }
        footer { max-width:960px; margin:2rem auto; padding:0 1rem 2rem; color:var(--muted); font-size:.85rem; }
        section.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem 1.2rem; margin-bottom:1rem; }
        h1 { font-size:1.5rem; margin:.2rem 0 1rem; } h2 { font-size:1.1rem; margin:0 0 .6rem; }
        .verdict { font-size:1.3rem; font-weight:700; padding:.6rem 1rem; border-radius:6px; display:inline-block; }
        .v-generated-by-this-service, .v-ai-generated-declared, .v-likely-synthetic { background:#fdecea; color:var(--bad); }
        .v-tampered { background:#fff4e5; color:var(--warn); }
        .v-likely-derived { background:#fff4e5; color:var(--warn); }
        .v-likely-authentic { background:#e8f5ec; color:var(--ok); }
        .v-abstain, .v-error, .v-pending { background:#eef2f6; color:var(--muted); }
        table.kv { border-collapse:collapse; width:100%; } table.kv th, table.kv td { text-align:left; padding:.3rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
        table.kv th { width:30%; color:var(--muted); font-weight:500; }
        code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size:.88em; word-break:break-all; }
        .ok { color:var(--ok); } .bad { color:var(--bad); } .warn { color:var(--warn); } .muted { color:var(--muted); }
        ul.tree { list-style:none; padding-left:1rem; border-left:2px solid var(--line); } ul.tree li { margin:.2rem 0; }
        #drop { border:2px dashed var(--line); border-radius:8px; padding:2.5rem; text-align:center; background:#fff; cursor:pointer; }
        #drop.over { border-color:var(--info); background:#eef5fd; }
        progress { width:100%; height:1rem; }
        input[type=text], input[type=password] { width:100%; padding:.5rem; border:1px solid var(--line); border-radius:4px; font:inherit; }
        button { font:inherit; padding:.5rem 1.2rem; border-radius:4px; border:1px solid var(--info); background:var(--info); color:#fff; cursor:pointer; }
        button:disabled { opacity:.5; cursor:default; }
        svg.timeline { width:100%; height:auto; background:#fff; }
        .noprint { }
        @media print {
          body { background:#fff; font-size:11pt; } header.top { border:0; } .noprint { display:none !important; }
          section.card { border:1px solid #999; break-inside:avoid; } main { max-width:none; margin:0; }
          a { color:inherit; text-decoration:none; }
        }
        """;
}
