// SVG and PNG rendering of CFM diagrams: well-formed, escaped SVG; PNGs of sane size from resvg.
import assert from 'node:assert/strict';
import { loadCatalogue } from '../../bot/catalogue/load-catalogue.js';
import type { Catalogue, Cfm } from '../../bot/core/catalogue/types.js';
import { layoutCfm } from '../../bot/core/diagram/layout-cfm.js';
import { escapeXml, layoutToSvg, renderCfmSvg } from '../../bot/core/diagram/render-svg.js';
import { MAX_PNG_WIDTH, pngSize, renderPng } from '../../bot/render/render-png.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A tiny XML well-formedness check: tags balance and nest, attributes are quoted, and no raw "<" or
 * bare "&" appears in text or attribute values. Returns the problem, or undefined.
 */
function xmlProblem(xml: string): string | undefined {
  const stack: string[] = [];
  const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/gu;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    const [all, closing, name, , selfClosing] = m;
    if (all.startsWith('<!--') || all.startsWith('<?')) continue;
    if (all === '<') return `a raw "<" at ${m.index}: ${xml.slice(m.index, m.index + 40)}`;
    if (all.startsWith('&')) return `a bare "&" at ${m.index}: ${xml.slice(m.index, m.index + 40)}`;
    if (closing) {
      const open = stack.pop();
      if (open !== name) return `</${name}> closes <${open ?? 'nothing'}> at ${m.index}`;
    } else if (!selfClosing) stack.push(name!);
  }
  return stack.length === 0 ? undefined : `unclosed <${stack.join('>, <')}>`;
}

/** A catalogue whose texts carry XML specials, to check the escaping. */
function withSpecials(catalogue: Catalogue, cfm: Cfm): Catalogue {
  const spiked: Cfm = {
    ...cfm,
    title: `${cfm.title} & <Uji> "kutip" 'satu'`,
    steps: cfm.steps.map((s, k) => (k === 0 ? { ...s, action: `Periksa <berkas> & "surat" ${s.action}` } : s)),
  };
  return { ...catalogue, cfms: catalogue.cfms.map((c) => (c.code === cfm.code ? spiked : c)) };
}

describe('diagram rendering (SVG and PNG)', function () {
  this.timeout(60000);
  let catalogue: Catalogue;
  let picks: Cfm[];

  before(async () => {
    const result = await loadCatalogue();
    assert.ok(result.ok, 'the shipped catalogue is valid');
    catalogue = result.catalogue;
    const largest = [...catalogue.cfms].sort((a, b) => b.steps.length - a.steps.length)[0]!;
    const index = (cfm: Cfm, id: string) => cfm.steps.findIndex((s) => s.id === id);
    const withLoop = catalogue.cfms.find((c) => c !== largest && c.steps.some((s, k) => (s.kind === 'task' ? [s.next] : s.kind === 'decision' ? s.branches.map((b) => b.next) : []).some((n) => index(c, n) <= k)))!;
    const small = [...catalogue.cfms].sort((a, b) => a.steps.length - b.steps.length).find((c) => c !== largest && c !== withLoop)!;
    picks = [largest, withLoop, small];
  });

  it('escapes XML text', () => {
    assert.equal(escapeXml(`a & b < c > "d" 'e'`), 'a &amp; b &lt; c &gt; &quot;d&quot; &apos;e&apos;');
  });

  it('draws well-formed SVG with a title, the header and every step', () => {
    for (const cfm of picks) {
      for (const lang of ['id', 'en'] as const) {
        const svg = renderCfmSvg(catalogue, cfm.code, { lang });
        assert.ok(svg, cfm.code);
        assert.equal(xmlProblem(svg), undefined, `${cfm.code} ${lang}`);
        assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/u);
        assert.ok(svg.includes('font-family="DejaVu Sans, Arial, sans-serif"'));
        assert.ok(svg.includes(`<title id="cfm-title">DINSOS ${cfm.code} `), `${cfm.code}: title element`);
        assert.ok(svg.includes('>DINSOS '), `${cfm.code}: header`);
        for (const step of cfm.steps) assert.ok(svg.includes(`id="step-${step.id}"`), `${cfm.code}: step ${step.id} drawn`);
        const width = Number(/width="(\d+)"/u.exec(svg)?.[1]);
        assert.ok(width <= MAX_PNG_WIDTH, `${cfm.code}: ${width} px wide`);
      }
    }
  });

  it('escapes & and < from the data', () => {
    const cfm = picks[2]!;
    const svg = renderCfmSvg(withSpecials(catalogue, cfm), cfm.code)!;
    assert.equal(xmlProblem(svg), undefined);
    assert.ok(svg.includes('&amp; &lt;Uji&gt; &quot;kutip&quot; &apos;satu&apos;'), 'the title is escaped');
    assert.ok(svg.includes('&lt;berkas&gt; &amp;'), 'step text is escaped');
    assert.ok(!svg.includes('<Uji>') && !svg.includes('<berkas>'));
  });

  it('marks the highlighted step, and refuses unknown codes and steps', () => {
    const cfm = picks[1]!;
    const step = cfm.steps[2]!;
    const svg = renderCfmSvg(catalogue, cfm.code, { highlight: step.id })!;
    assert.ok(svg.includes('Anda di sini'));
    assert.ok(renderCfmSvg(catalogue, cfm.code, { highlight: step.id, lang: 'en' })!.includes('You are here'));
    assert.ok(!renderCfmSvg(catalogue, cfm.code)!.includes('Anda di sini'));
    assert.equal(renderCfmSvg(catalogue, '99.9.z'), undefined);
    assert.equal(renderCfmSvg(catalogue, cfm.code, { highlight: 'no-such-step' }), undefined);
  });

  it('renders the largest CFM, one with a loop and a small one to PNG', () => {
    for (const cfm of picks) {
      const layout = layoutCfm(catalogue, cfm);
      const png = renderPng(layoutToSvg(layout));
      assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), `${cfm.code}: PNG signature`);
      const size = pngSize(png);
      assert.ok(size, cfm.code);
      assert.equal(size.width, layout.width, `${cfm.code}: drawn at its own width`);
      assert.ok(size.width <= 1024, `${cfm.code}: ${size.width} px wide`);
      assert.ok(size.height >= 300 && size.height <= 6000, `${cfm.code}: ${size.height} px high`);
      assert.ok(Math.abs(size.height - layout.height) <= 1);
      assert.ok(png.length > 10_000 && png.length < 3_000_000, `${cfm.code}: ${png.length} bytes`);
    }
  });

  it('never renders wider than 1024 px', () => {
    const svg = renderCfmSvg(catalogue, picks[2]!.code)!;
    assert.equal(pngSize(renderPng(svg, { width: 5000 }))?.width, 1024);
    const half = pngSize(renderPng(svg, { width: 400 }))!;
    assert.equal(half.width, 400);
    const wide = '<svg xmlns="http://www.w3.org/2000/svg" width="3000" height="100"><rect width="3000" height="100" fill="#123"/></svg>';
    assert.deepEqual(pngSize(renderPng(wide)), { width: 1024, height: 34 });
    assert.equal(pngSize(Buffer.from('not a png')), undefined);
  });
});
