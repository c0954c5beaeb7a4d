// Language identification: English prose by its function words, other languages by franc on a short list.
import { describe, expect, it } from 'vitest';
import { detectLanguage, englishRatio } from '../server/core/language.ts';

describe('detectLanguage', () => {
  it.each([
    ['eng', 'Russia and Ukraine have released a total of 390 prisoners. This event is considered the largest prisoner exchange of the war.'],
    ['sqi', 'Rusia dhe Ukraina kanë nisur shkëmbimin më të madh të të burgosurve që nga fillimi i pushtimit në shkallë të plotë, thanë zyrtarët.'],
    ['vie', 'Ukraine và Nga sẽ tiếp tục trao đổi tù binh với nhau, đặc biệt là ở khu vực Donbass, nhằm thực hiện các hiệp ước trong Thỏa thuận Minsk.'],
    ['rus', 'Россия и Украина провели крупнейший обмен пленными с начала войны, сообщили в министерстве обороны в пятницу.'],
    ['und', '123 456'],
    ['und', 'Kyiv'],
  ])('%s: %s', (lang, text) => expect(detectLanguage(text)).toBe(lang));
});

describe('englishRatio', () => {
  it('is high for English prose and low for other languages', () => {
    expect(englishRatio('The minister said that the talks would resume in the spring.')).toBeGreaterThan(0.3);
    expect(englishRatio('Ministri tha se bisedimet do të rifillojnë në pranverë.')).toBeLessThan(0.1);
  });
  it('reads only the given range', () => {
    const t = 'xxxx the of and yyyy';
    expect(englishRatio(t, 5, 15)).toBe(1);
    expect(englishRatio(t, 0, 4)).toBe(0);
  });
});
