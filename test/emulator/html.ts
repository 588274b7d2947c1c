const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** A whole page around already-escaped body markup; inline style only, nothing external. */
export function page(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · IAM Identity Center emulator</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #16191f; }
h1 { font-size: 1.4rem; }
.code { font-family: ui-monospace, monospace; font-size: 1.6rem; letter-spacing: 0.15em; }
input[type=text] { font-family: ui-monospace, monospace; font-size: 1.4rem; letter-spacing: 0.1em; width: 12ch; padding: 0.3rem; }
button { font-size: 1rem; padding: 0.5rem 1.4rem; margin-right: 0.5rem; cursor: pointer; }
button.allow { background: #ff9900; border: 1px solid #ec7211; }
.note { color: #545b64; font-size: 0.9rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${bodyHtml}
<p class="note">Local IAM Identity Center emulator: no real AWS account is involved.</p>
</body>
</html>
`;
}

export function decisionButtons(): string {
  return '<p><button class="allow" type="submit" name="decision" value="allow">Allow</button>'
    + '<button type="submit" name="decision" value="deny">Deny</button></p>';
}
