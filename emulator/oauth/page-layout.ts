import { SafeHtml, html } from "../http/html";

// Discord-like dark card; inline because the pages load nothing else.
const STYLE = new SafeHtml(`
  :root { color-scheme: dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #5865f2; }
  main { width: min(440px, 92vw); background: #313338; color: #dbdee1; border-radius: 8px; padding: 24px; box-shadow: 0 8px 24px #0006; }
  h1 { font-size: 20px; margin: 0 0 4px; color: #f2f3f5; }
  h2 { font-size: 12px; text-transform: uppercase; color: #b5bac1; margin: 20px 0 8px; }
  .muted { color: #b5bac1; font-size: 14px; margin: 0; }
  fieldset { border: 0; padding: 0; margin: 16px 0 0; display: grid; gap: 6px; }
  legend { font-size: 12px; text-transform: uppercase; color: #b5bac1; margin-bottom: 8px; }
  .account { display: flex; align-items: center; gap: 10px; padding: 8px; border-radius: 4px; background: #2b2d31; cursor: pointer; }
  .account img { border-radius: 50%; }
  .handle { color: #949ba4; font-size: 13px; }
  input[type=text] { flex: 1; background: #1e1f22; color: inherit; border: 0; border-radius: 3px; padding: 6px 8px; }
  ul { margin: 0; padding-left: 20px; line-height: 1.6; }
  .error { background: #f23f4326; border-left: 3px solid #f23f43; padding: 8px 12px; margin-top: 16px; }
  .actions { display: flex; flex-direction: row-reverse; justify-content: flex-start; gap: 8px; margin-top: 24px; }
  button { border: 0; border-radius: 3px; padding: 10px 20px; font-size: 14px; color: #fff; background: #5865f2; cursor: pointer; }
  button.secondary { background: transparent; }
  .guild { text-align: center; }
  .guild-icon { width: 64px; height: 64px; border-radius: 16px; margin: 0 auto 12px; display: grid; place-items: center; background: #5865f2; color: #fff; font-size: 20px; font-weight: 600; overflow: hidden; }
  .account.taken { opacity: 0.6; cursor: default; }
  .tag { margin-left: auto; font-size: 12px; color: #949ba4; white-space: nowrap; }
  select { background: #1e1f22; color: inherit; border: 0; border-radius: 3px; padding: 8px; font-size: 14px; }
  .permission { display: flex; align-items: center; gap: 8px; font-size: 14px; }
  section h2 { text-transform: none; font-size: 16px; color: #f2f3f5; }
  .messages { list-style: none; padding: 0; display: grid; gap: 8px; }
  .message { margin: 2px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  .success { background: #23a55a26; border-left: 3px solid #23a55a; padding: 8px 12px; margin-top: 16px; }
`);

export function page(title: string, content: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${content}
</main>
</body>
</html>`;
}
