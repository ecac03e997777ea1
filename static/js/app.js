// Progressive enhancement only: every page works without this script.
// Forms marked data-confirm ask before they submit (e.g. disabling a user).
document.addEventListener('submit', function (e) {
  var msg = e.target.getAttribute && e.target.getAttribute('data-confirm');
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});

// Lists read as cards on a phone: a cell without its column's name gets it from the header.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('.table-wrap table').forEach(function (t) {
    var heads = [].map.call(t.querySelectorAll('thead th'), function (th) { return th.textContent.trim(); });
    t.querySelectorAll('tbody tr').forEach(function (tr) {
      [].forEach.call(tr.children, function (td, i) {
        if (!td.hasAttribute('data-label') && heads[i]) { td.setAttribute('data-label', heads[i]); }
      });
    });
  });
});

// The front door's scan button: only where the browser can read QR codes itself
// (BarcodeDetector) and has a camera; a code read goes to its page.
document.addEventListener('DOMContentLoaded', function () {
  var btn = document.querySelector('[data-scan]');
  if (!btn || !('BarcodeDetector' in window) || !navigator.mediaDevices) { return; }
  btn.parentNode.hidden = false;
  btn.addEventListener('click', function () {
    var video = document.querySelector('.scan-view');
    var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (stream) {
      video.srcObject = stream; video.hidden = false; video.play();
      var look = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (t) { t.stop(); });
            var input = document.getElementById('code');
            input.value = codes[0].rawValue; input.form.submit();
          } else { window.requestAnimationFrame(look); }
        }, function () { window.requestAnimationFrame(look); });
      };
      look();
    }, function () { btn.parentNode.hidden = true; });
  });
});

// The queue's filters fold away on a phone (open on a desk; without script, open everywhere).
document.addEventListener('DOMContentLoaded', function () {
  if (!window.matchMedia || !window.matchMedia('(max-width: 719px)').matches) { return; }
  document.querySelectorAll('details[data-fold]').forEach(function (d) { d.open = false; });
});
