/** The chat page served at `GET /`: posts to `/chat` and renders the streamed answer. */
export const CHAT_PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>express-chat</title>
<style>
  body { font: 15px system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
  #log p { white-space: pre-wrap; margin: .5rem 0; }
  .user { color: #555; }
  form { display: flex; gap: .5rem; }
  input { flex: 1; padding: .4rem; }
</style>
<h1>express-chat</h1>
<div id="log"></div>
<form id="form"><input id="message" autocomplete="off" placeholder="Ask something" autofocus><button>Send</button></form>
<script>
  const session = crypto.randomUUID();
  const history = [];
  const log = document.getElementById('log');
  const line = (cls, text) => { const p = document.createElement('p'); p.className = cls; p.textContent = text; log.append(p); return p; };
  document.getElementById('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = document.getElementById('message');
    const message = input.value.trim();
    if (!message) return;
    input.value = '';
    line('user', 'You: ' + message);
    const out = line('bot', '');
    const res = await fetch('/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': session, 'x-user-id': 'browser-user' },
      body: JSON.stringify({ message, history }),
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const events = buffer.split('\\n\\n');
      buffer = events.pop();
      for (const event of events) {
        const data = event.split('\\n').find((l) => l.startsWith('data: '))?.slice(6);
        if (!data || data === '[DONE]') continue;
        const parsed = JSON.parse(data);
        out.textContent += parsed.delta ?? '[error] ' + parsed.message;
      }
    }
    history.push({ role: 'user', content: message }, { role: 'assistant', content: out.textContent });
  });
</script>
</html>
`;
