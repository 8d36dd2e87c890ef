// 取引認証 on BAPR002 (docs/transaction-signing.md): asks the portal every 1.5 s where the phone's
// answer stands; when the phone approved, sends the form (decision: approve), so the page moves on
// by itself; when it refused or the request expired, says so and stops asking. The offline code
// field stays usable throughout: the form can be sent with it at any time.
(function () {
  const panel = document.getElementById('signing');
  if (!panel) {
    return;
  }
  const url = panel.dataset.stateUrl;
  const form = document.getElementById('decision-form');
  const status = document.getElementById('signing-status');
  let stopped = false;

  function show(id) {
    status.hidden = true;
    document.getElementById(id).hidden = false;
    stopped = true;
  }

  async function poll() {
    if (stopped) {
      return;
    }
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
      if (response.ok) {
        const { state } = await response.json();
        if (state === 'APPROVED') {
          stopped = true;
          const approve = document.getElementById('decision-approve');
          if (approve) {
            approve.checked = true;
          }
          document.getElementById('signature').value = '';
          form.submit();
          return;
        }
        if (state === 'DENIED') {
          show('signing-denied');
          return;
        }
        if (state === 'EXPIRED' || state === 'USED' || state === 'SUPERSEDED') {
          show('signing-expired');
          return;
        }
      }
    } catch (e) {
      // The PC is offline for a moment: ask again.
    }
    setTimeout(poll, 1500);
  }

  setTimeout(poll, 1500);
})();
