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
