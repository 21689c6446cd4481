/**
 * The words of return comments, for "the most common return reasons". Plain tokenisation, no
 * NLP: lower case, `ё` read as `е`, letters only, at least three of them, Russian and English
 * stop words left out. Each comment counts a word once.
 */

const STOP_WORDS = new Set(
  (
    // Russian
    'без более больше будет будто бы был была были было быть вам вас ведь весь во вот все всего всех всю вы где да даже для до ' +
    'его ее ей ему если есть еще же за зачем здесь из или им их как какая какой когда кто куда ли либо между мне много может ' +
    'можно мой моя мы на над надо наконец нас не него нее ней нельзя нет ни них ничего но ну об обо однако он она они оно от ' +
    'очень по под пожалуйста после потом потому почему почти при про просим прошу раз разве с сам свою себе себя сейчас со ' +
    'совсем так также такой там тебя тем теперь то тогда того тоже только том тот три тут ты уж уже хоть чем через что чтоб ' +
    'чтобы чуть эта эти это этого этой этом этот эту нужно нужна нужен нужны просьба который которая которые которых ' +
    'один одна одно два две три четыре пять ' +
    // English
    'about above after again all also and any are because been before being below between both but can could did does doing ' +
    'down during each few for from further had has have having her here hers him his how into its just more most must not now ' +
    'off once only other our out over own please same she should some such than that the their them then there these they ' +
    'this those through too under until very was were what when where which while who whom why will with would you your'
  ).split(' '),
)

/**
 * The distinct words of one comment that say something.
 *
 * @example commentWords('Нет лицензии. Запросите копию лицензии!') // ['лицензии', 'запросите', 'копию']
 */
export function commentWords(text: string): string[] {
  const words = text.toLowerCase().replace(/ё/g, 'е').match(/\p{L}+/gu) ?? []
  const out: string[] = []
  for (const w of words) if (w.length >= 3 && !STOP_WORDS.has(w) && !out.includes(w)) out.push(w)
  return out
}
