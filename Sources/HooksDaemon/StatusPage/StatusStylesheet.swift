/// The status page's one stylesheet, served as `/ui/style.css` (the Content-Security-Policy allows
/// styles from the page's own origin only, so there is no inline style anywhere).
enum StatusStylesheet {
    static let text = """
        :root { --fg: #1d2430; --muted: #5b6575; --line: #d8dde5; --bg: #ffffff; --panel: #f5f7fa;
          --stored: #3b73b9; --duplicate: #9aa7b8; --self: #8e5cc4; --done: #2f9e44; --retry: #e8a33d;
          --dead: #d9480f; --skipped: #868e96; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
        header { background: var(--fg); color: #fff; padding: 0.5rem 1rem; }
        header nav a { color: #fff; margin-right: 1rem; text-decoration: none; }
        header nav a.brand { font-weight: 600; }
        header .mode { margin: 0.4rem 0 0; font-size: 12px; color: #cfd6e0; }
        header code { color: #fff; }
        main { padding: 1rem; max-width: 1400px; }
        h1 { font-size: 1.4rem; margin: 0.2rem 0 1rem; }
        h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
        a { color: #1f5fa8; }
        .numbers { display: flex; flex-wrap: wrap; gap: 0.75rem; }
        .number { display: block; min-width: 9rem; padding: 0.6rem 0.8rem; border: 1px solid var(--line);
          border-radius: 6px; background: var(--panel); text-decoration: none; color: var(--fg); }
        .number .value { display: block; font-size: 1.4rem; font-weight: 600; }
        .number .label { display: block; font-size: 12px; color: var(--muted); }
        .number.alert { border-color: var(--dead); }
        .number.alert .value { color: var(--dead); }
        svg.chart { width: 100%; height: 160px; border: 1px solid var(--line); background: var(--panel); }
        svg.chart .axis { stroke: var(--line); stroke-width: 1; }
        svg.chart text { font-size: 11px; fill: var(--muted); }
        .s-stored { fill: var(--stored); } .s-duplicate { fill: var(--duplicate); } .s-self { fill: var(--self); }
        .s-done { fill: var(--done); } .s-retry { fill: var(--retry); } .s-dead { fill: var(--dead); }
        .s-skipped { fill: var(--skipped); }
        .legend { font-size: 12px; color: var(--muted); margin: 0.2rem 0 0; }
        .legend span::before { content: "■ "; }
        .legend .s-stored::before { color: var(--stored); } .legend .s-duplicate::before { color: var(--duplicate); }
        .legend .s-self::before { color: var(--self); } .legend .s-done::before { color: var(--done); }
        .legend .s-retry::before { color: var(--retry); } .legend .s-dead::before { color: var(--dead); }
        .legend .s-skipped::before { color: var(--skipped); }
        table.list { border-collapse: collapse; width: 100%; }
        table.list th, table.list td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line);
          vertical-align: top; }
        table.list th { font-size: 12px; color: var(--muted); font-weight: 600; }
        td.subject { word-break: break-all; }
        tr.matched td { background: #eef7ee; }
        tr.disabled td { color: var(--muted); }
        .state { padding: 0 0.35rem; border-radius: 3px; background: var(--panel); }
        .state.done { color: var(--done); } .state.dead { color: var(--dead); font-weight: 600; }
        .state.failed { color: var(--retry); }
        form.filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin-bottom: 1rem;
          padding: 0.6rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
        form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
        input, select, button { font: inherit; padding: 0.2rem 0.4rem; }
        form { margin: 0.3rem 0; }
        dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
        dl.fields dt { color: var(--muted); }
        dl.fields dd { margin: 0; word-break: break-all; }
        pre.body, pre.errors { background: var(--panel); border: 1px solid var(--line); padding: 0.6rem;
          overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
        .note { color: var(--muted); font-size: 12px; }
        .ok { color: var(--done); font-weight: 600; } .bad { color: var(--dead); font-weight: 600; }
        .pager { margin-top: 0.8rem; }

        """
}
