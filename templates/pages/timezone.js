// Progressive enhancement: the form works without this. It only replaces the server's
// default "UTC" with the browser's zone, never a value the person chose or typed.
;(() => {
  const field = document.querySelector('input[name="timezone"]')
  if (field?.value !== 'UTC') return
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
    if (typeof zone === 'string' && zone !== '') field.value = zone
  } catch {
    // Very old browsers without Intl time zones keep UTC; the field stays editable.
  }
})()
