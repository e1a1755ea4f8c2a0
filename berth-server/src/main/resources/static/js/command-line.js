// Live preview of how a command line is split into arguments, the same rules as the server's
// CommandLine.split (the server's split is the one that counts): blanks separate arguments, '...'
// is literal, "..." keeps blanks and honours \" and \\, a backslash outside quotes escapes the next
// character. Every input with data-split-preview="ID" shows its arguments as chips in element ID.
(function () {
  function split(line) {
    var args = [], word = '', inWord = false, i = 0;
    while (i < line.length) {
      var c = line.charAt(i);
      if (/\s/.test(c)) {
        if (inWord) { args.push(word); word = ''; inWord = false; }
        i++;
      } else if (c === "'") {
        var end = line.indexOf("'", i + 1);
        if (end < 0) { return { error: 'unterminated single quote (opened at character ' + (i + 1) + ')' }; }
        word += line.substring(i + 1, end); inWord = true; i = end + 1;
      } else if (c === '"') {
        var open = i, closed = false;
        i++;
        while (i < line.length) {
          var d = line.charAt(i);
          if (d === '"') { closed = true; i++; break; }
          if (d === '\\' && (line.charAt(i + 1) === '"' || line.charAt(i + 1) === '\\')) { word += line.charAt(i + 1); i += 2; } else { word += d; i++; }
        }
        if (!closed) { return { error: 'unterminated double quote (opened at character ' + (open + 1) + ')' }; }
        inWord = true;
      } else if (c === '\\') {
        if (i + 1 >= line.length) { return { error: 'ends with a backslash that escapes nothing' }; }
        word += line.charAt(i + 1); inWord = true; i += 2;
      } else {
        word += c; inWord = true; i++;
      }
    }
    if (inWord) { args.push(word); }
    return { args: args };
  }
  function show(input) {
    var box = document.getElementById(input.getAttribute('data-split-preview'));
    if (!box) { return; }
    var result = split(input.value);
    box.textContent = '';
    if (result.error) {
      box.appendChild(document.createTextNode(result.error));
      box.classList.add('split-error');
      return;
    }
    box.classList.remove('split-error');
    if (result.args.length === 0) { box.appendChild(document.createTextNode(box.getAttribute('data-empty') || '')); }
    result.args.forEach(function (a) {
      var chip = document.createElement('span');
      chip.className = 'chip arg';
      chip.textContent = a;
      box.appendChild(chip);
    });
    var count = document.createElement('span');
    count.className = 'muted';
    count.textContent = result.args.length === 0 ? '' : (result.args.length === 1 ? ' 1 argument' : ' ' + result.args.length + ' arguments');
    box.appendChild(count);
  }
  document.querySelectorAll('[data-split-preview]').forEach(function (input) {
    input.addEventListener('input', function () { show(input); });
  });
})();
