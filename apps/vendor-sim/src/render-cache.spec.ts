import { RenderCache } from './render-cache.js';

describe('RenderCache', () => {
  it('renders once per key and estate version', () => {
    const cache = new RenderCache<string>();
    let renders = 0;
    const render = () => `render ${++renders}`;
    expect(cache.get('ws', 1, render)).toBe('render 1');
    expect(cache.get('ws', 1, render)).toBe('render 1');
    expect(cache.get('ws', 2, render)).toBe('render 2');
    expect(cache.get('other', 2, render)).toBe('render 3');
    expect(cache.stats()).toEqual({ hits: 1, misses: 3, entries: 2 });
  });

  it('drops the least recently used entry when full', () => {
    const cache = new RenderCache<string>(2);
    cache.get('a', 0, () => 'a');
    cache.get('b', 0, () => 'b');
    cache.get('a', 0, () => 'a again');
    cache.get('c', 0, () => 'c');
    expect(cache.get('a', 0, () => 'a rendered anew')).toBe('a');
    expect(cache.get('b', 0, () => 'b rendered anew')).toBe('b rendered anew');
  });
});
