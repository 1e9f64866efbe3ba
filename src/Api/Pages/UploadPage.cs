namespace Provenance.Api.Pages;

/// <summary>The upload page: API key, drag and drop, upload progress, then the scan's progress and its report.</summary>
internal static class UploadPage
{
    public static IResult Render() => PageLayout.Html("Scan a video", Body);

    private const string Body = """
        <h1>Scan a video</h1>
        <section class="card">
          <p>Upload a clip to check its Content Credentials, look for our invisible watermark, match it against the
          transparency ledger and run the classifier. You get a report you can print and file.</p>
          <label for="key">API key (scope <code>scan</code>)</label>
          <input type="password" id="key" autocomplete="off" placeholder="pvk_…">
          <p class="muted">The key stays in this browser tab (session storage) and is sent only to this service.</p>
        </section>
        <section class="card">
          <div id="drop" tabindex="0" role="button" aria-label="Choose or drop a video file">
            <strong>Drop a video here</strong> or click to choose one
            <input type="file" id="file" accept="video/*,.mp4,.mov,.m4v,.webm,.mkv" hidden>
          </div>
          <p id="chosen" class="muted"></p>
          <button id="send" disabled>Upload and scan</button>
        </section>
        <section class="card" id="progress-card" hidden>
          <h2 id="phase">Uploading…</h2>
          <progress id="bar" max="1" value="0"></progress>
          <p id="detail" class="muted"></p>
          <p id="error" class="bad" role="alert"></p>
        </section>
        <script>
        (() => {
          const $ = id => document.getElementById(id);
          const key = $('key'), drop = $('drop'), file = $('file'), send = $('send');
          key.value = sessionStorage.getItem('provenance.key') || '';
          let chosen = null;
          const ready = () => { send.disabled = !(chosen && key.value.trim()); };
          key.addEventListener('input', () => { sessionStorage.setItem('provenance.key', key.value.trim()); ready(); });
          const choose = f => { chosen = f; $('chosen').textContent = f ? `${f.name} (${(f.size / 1048576).toFixed(1)} MB)` : ''; ready(); };
          drop.addEventListener('click', () => file.click());
          drop.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') file.click(); });
          file.addEventListener('change', () => choose(file.files[0] || null));
          ['dragenter', 'dragover'].forEach(t => drop.addEventListener(t, e => { e.preventDefault(); drop.classList.add('over'); }));
          ['dragleave', 'drop'].forEach(t => drop.addEventListener(t, e => { e.preventDefault(); drop.classList.remove('over'); }));
          drop.addEventListener('drop', e => choose(e.dataTransfer.files[0] || null));
          const fail = msg => { $('error').textContent = msg; send.disabled = false; };
          const problem = xhr => { try { const p = JSON.parse(xhr.responseText); return `${p.title}: ${p.detail || ''}`; } catch { return `HTTP ${xhr.status}`; } };
          send.addEventListener('click', () => {
            send.disabled = true; $('error').textContent = ''; $('progress-card').hidden = false;
            $('phase').textContent = 'Uploading…';
            const form = new FormData(); form.append('file', chosen, chosen.name);
            const xhr = new XMLHttpRequest();
            xhr.open('POST', '/v1/scans');
            xhr.setRequestHeader('Authorization', 'Bearer ' + key.value.trim());
            xhr.upload.onprogress = e => { if (e.lengthComputable) { $('bar').value = e.loaded / e.total; $('detail').textContent = `${(e.loaded / 1048576).toFixed(1)} of ${(e.total / 1048576).toFixed(1)} MB`; } };
            xhr.onerror = () => fail('The upload failed (network error).');
            xhr.onload = () => {
              if (xhr.status !== 202) return fail(problem(xhr));
              const job = JSON.parse(xhr.responseText);
              $('phase').textContent = 'Scanning…'; $('bar').value = 0;
              const poll = async () => {
                const r = await fetch(job.statusUrl);
                if (!r.ok) return fail(`Status check failed: HTTP ${r.status}`);
                const s = await r.json();
                $('bar').value = s.progress; $('detail').textContent = `${s.status}${s.stage ? ' · ' + s.stage : ''}`;
                if (s.status === 'done' || s.status === 'failed' || s.status === 'dead' || s.status === 'cancelled') {
                  location.href = s.links['report.html'];
                } else setTimeout(poll, 1000);
              };
              poll();
            };
            xhr.send(form);
          });
          ready();
        })();
        </script>
        """;
}
