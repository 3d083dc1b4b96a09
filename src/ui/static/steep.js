// Progressive enhancement only: every page works without this file.
// Copy buttons: shown once the script runs, they copy the text of the element named in data-copy.
document.querySelectorAll('button[data-copy]').forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  const label = button.textContent;
  button.addEventListener('click', async () => {
    const target = document.getElementById(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(target.textContent.trim());
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Copy failed: select the text instead';
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  });
});
