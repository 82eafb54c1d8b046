// Progressive enhancement for the subscribe and preference forms: both work without this.

// Time zone: only replaces the server's default "UTC" with the browser's zone, never a value
// the person chose or typed.
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

// Live preview: while someone types an interest, show what the line under the caret would have
// matched in the last 7 days (GET /api/preview, the same parser and matcher as delivery).
;(() => {
  const textarea = document.querySelector('textarea[name="interests"]')
  const output = document.getElementById('interest-preview')
  if (!textarea || !output) return
  let timer
  let lastLine = ''
  const currentLine = () => {
    const before = textarea.value.slice(0, textarea.selectionStart ?? textarea.value.length)
    const start = before.lastIndexOf('\n') + 1
    const end = textarea.value.indexOf('\n', start)
    return textarea.value.slice(start, end === -1 ? undefined : end).trim()
  }
  const show = (heading, items, isError) => {
    output.replaceChildren()
    const p = document.createElement('p')
    p.textContent = heading
    if (isError) p.className = 'preview-error'
    output.append(p)
    if (items.length > 0) {
      const list = document.createElement('ul')
      for (const item of items) {
        const li = document.createElement('li')
        li.textContent = item
        list.append(li)
      }
      output.append(list)
    }
  }
  const update = async () => {
    const line = currentLine()
    if (line === lastLine) return
    lastLine = line
    if (line === '') return output.replaceChildren()
    try {
      const response = await fetch(`/api/preview?days=7&q=${encodeURIComponent(line)}`, {
        headers: { accept: 'application/json' },
      })
      if (response.status === 429) {
        // Typing faster than previews are allowed: ask again for the same line a little later.
        lastLine = ''
        clearTimeout(timer)
        const seconds = Math.min(Number(response.headers.get('retry-after')) || 1, 10)
        timer = setTimeout(update, seconds * 1000)
        return
      }
      const body = await response.json()
      if (line !== lastLine) return
      if (!response.ok) return show(`“${line}”: ${body.error}`, [], true)
      const rate = body.perDay === 1 ? 'about 1 paper a day' : `about ${body.perDay} papers a day`
      show(
        `“${line}” matched ${body.total} paper${body.total === 1 ? '' : 's'} in the last ${body.days} days (${rate}).`,
        body.papers.slice(0, 5).map((p) => p.title),
        false,
      )
    } catch {
      output.replaceChildren()
    }
  }
  const schedule = () => {
    clearTimeout(timer)
    timer = setTimeout(update, 350)
  }
  textarea.addEventListener('input', schedule)
  textarea.addEventListener('click', schedule)
  textarea.addEventListener('keyup', schedule)
})()
