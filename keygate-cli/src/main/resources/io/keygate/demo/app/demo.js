// The demo agent's page: renders the server's view of this visit and polls Keygate's session inspector.
// No build step, no framework; the user's token never reaches this page.
'use strict';

const EVENTS = {
  'created': ['Consent session created', 'The gateway asked for the user\'s token; there was none, so Keygate opened a session.'],
  'authorize-opened': ['Browser at Keygate\'s authorize URL', 'Keygate sent it on to the Demo IdP with PKCE, state and nonce.'],
  'callback-received': ['The IdP sent the browser back', 'Keygate checked state and the RFC 9207 issuer.'],
  'code-exchanged': ['Code exchanged', 'Keygate holds the user\'s tokens, sealed, until the app vouches for the user.'],
  'completion-attempt': ['CompleteResourceTokenAuth', 'The app named the user who started the flow.'],
  'completed': ['Session bound to the user', 'The tokens moved to this user\'s vault; the tool call can use them.'],
  'failed': ['Session failed', 'See the reason.'],
};
const ORDER = ['signin', 'call', 'consent', 'result'];
const PHASE_STEP = { SIGNED_OUT: 'signin', SIGNED_IN: 'call', CONSENT_REQUIRED: 'consent', CONSENTED: 'result', DONE: 'result' };
let view = null;
let busy = false;
let polling = null;

const $ = (id) => document.getElementById(id);
const esc = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// steps carry ISO strings; the inspector, like every AWS JSON API, epoch seconds
const time = (at) => new Date(typeof at === 'number' ? at * 1000 : at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

async function api(path, method = 'GET') {
  const response = await fetch(path, { method, headers: method === 'POST' ? { 'X-Demo-Request': 'fetch' } : {} });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function render() {
  const now = PHASE_STEP[view.phase];
  for (const item of $('stepper').children) {
    const index = ORDER.indexOf(item.dataset.step);
    item.className = view.phase === 'DONE' || index < ORDER.indexOf(now) ? 'done' : index === ORDER.indexOf(now) ? 'now' : '';
  }
  $('stage').innerHTML = stage();
  $('error').hidden = !view.error;
  $('error').textContent = view.error || '';
  $('steps').innerHTML = view.steps.length === 0 ? '<li class="muted">Nothing yet.</li>'
    : view.steps.map((step) => `<li><b>${esc(step.title)}</b> <small>${time(step.at)} · ${esc(step.detail)}</small></li>`).join('');
  const call = $('call');
  if (call) call.addEventListener('click', callTool);
  const logout = $('logout');
  if (logout) logout.addEventListener('click', async () => { view = await api('/app/api/logout', 'POST'); load(); });
}

function who() {
  return `<div class="who"><span class="avatar">${esc(view.user.name[0])}</span>${esc(view.user.name)}
    <span class="muted small">${esc(view.user.email)}</span></div>`;
}

function stage() {
  switch (view.phase) {
    case 'SIGNED_OUT':
      return `<p>First, sign in to the agent at the Demo IdP. The agent gets a JWT for the Keygate gateway.</p>
        <a class="button idp" id="signin" href="/app/login">Sign in at the Demo IdP</a>`;
    case 'SIGNED_IN':
      return `${who()}<p>Ask the agent to list your files. Its tool lives on an MCP server behind the Keygate
        gateway and needs <b>your own</b> Demo Drive token.</p><div class="actions">${callButton('Call the tool')}
        <button class="button quiet" id="logout">Sign out</button></div>`;
    case 'CONSENT_REQUIRED':
      return `${who()}<p>Keygate answered the tool call with <code>-32042</code>: you have not allowed access to
        your Demo Drive yet. Consent once; Keygate keeps the token sealed, for you only.</p>
        <a class="button idp" id="consent" href="${esc(view.consentUrl)}">Consent at the Demo IdP</a>`;
    case 'CONSENTED':
      return `${who()}<p>Consent recorded and bound to you. Calling the tool again&hellip;</p>`;
    default:
      return `${who()}${result()}<div class="actions">${callButton('Call the tool again')}
        <button class="button quiet" id="logout">Sign out</button></div>`;
  }
}

function callButton(label) {
  return `<button class="button" id="call"${busy ? ' disabled' : ''}>${busy ? 'Calling&hellip;' : label}</button>`;
}

function result() {
  let data;
  try { data = JSON.parse(view.result); } catch { return `<div class="result"><pre>${esc(view.result)}</pre></div>`; }
  const rows = data.files.map((file) => `<tr><td>${esc(file.name)}</td><td>${esc(file.modified)}</td><td>${esc(file.size)}</td></tr>`).join('');
  return `<div class="result" id="result"><h4>Tool result: files in ${esc(data.user.name)}'s Demo Drive</h4>
    <table><thead><tr><th>Name</th><th>Modified</th><th>Size</th></tr></thead><tbody>${rows}</tbody></table>
    <p class="proof">The Drive saw a token for <b>${esc(data.user.sub)}</b>, issued to client <code>${esc(data.token.clientId)}</code>
    with scope <code>${esc(data.token.scope)}</code>: Keygate's token for this user, not the agent's JWT.</p></div>`;
}

async function callTool() {
  busy = true;
  render();
  try {
    view = await api('/app/api/call', 'POST');
  } catch (error) {
    view.error = error.message;
  } finally {
    busy = false;
  }
  render();
  timeline();
}

async function timeline() {
  if (!view.sessionUri) return;
  const session = await api('/app/api/timeline').catch(() => null);
  if (!session || !session.timeline) return;
  $('session').className = 'session';
  $('session').innerHTML = `<span class="badge ${esc(session.sessionStatus)}">${esc(session.sessionStatus)}</span>
    <span class="muted">${session.status === session.sessionStatus ? '' : `${esc(session.status)} · `}provider
    <code>${esc(session.provider)}</code>${session.failure ? ` · <b>${esc(session.failure)}</b>` : ''}</span>`;
  $('timeline').innerHTML = session.timeline.map((event) => {
    const [title, text] = EVENTS[event.event] || [event.event, ''];
    return `<li class="${event.event === 'failed' ? 'failed' : ''}" data-event="${esc(event.event)}"><b>${esc(title)}</b>
      <code>${esc(event.event)}</code><small>${time(event.at)}${event.detail ? ' · ' + esc(event.detail) : ''} · ${esc(text)}</small></li>`;
  }).join('');
  if (session.sessionStatus !== 'IN_PROGRESS' && polling) {
    clearInterval(polling);
    polling = null;
  }
}

async function load() {
  view = await api('/app/api/state');
  render();
  await timeline();
  if (view.phase === 'CONSENT_REQUIRED' && !polling) polling = setInterval(timeline, 1500);
  if (view.phase === 'CONSENTED') await callTool();
}

load().catch((error) => { $('error').hidden = false; $('error').textContent = error.message; });
