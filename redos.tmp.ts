import { detectFormat, xmlRootName } from './services/sources/detect.js'
import { cleanText } from './services/sources/clean-text.js'
let t = performance.now()
try { detectFormat(' '.repeat(60000) + '<!-- x') } catch (e) { console.log((e as Error).message) }
console.log('sniff ms', performance.now() - t)
for (const s of ['<?xml version="1.0"?>\n<!-- c --><!DOCTYPE x [<!ENTITY a "<b>">]>\n<feed>', '<?xml', '<!DOCTYPE html><html>', '  <rss>']) console.log(JSON.stringify(s), xmlRootName(s))
for (const s of ['<script>'.repeat(20000), '<!--'.repeat(40000), '<style x="1">'.repeat(20000) + '</style>', '<a href="'.repeat(20000), '<b '.repeat(30000) + 'x=1 '.repeat(30000)]) {
  t = performance.now(); cleanText(s); console.log('clean ms', (performance.now() - t).toFixed(1))
}
console.log(cleanText('a<script>x</script>b<!-- c -->d<STYLE>e</Style >f<!-- open'))
