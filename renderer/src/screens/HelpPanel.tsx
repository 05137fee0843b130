import { FUNCTION_KEYS } from '../keys/keymap';
import { SALE_KEYS } from './SaleScreen';

export function HelpPanel() {
  return (
    <section className="panel help-panel" aria-labelledby="help-title" tabIndex={-1} data-primary autoFocus>
      <h1 id="help-title">Помощь</h1>
      <h2>Клавиши на любом экране</h2>
      <dl className="key-list">
        {FUNCTION_KEYS.map((k) => <div key={k.key}><dt><kbd>{k.key}</kbd></dt><dd>{k.label}</dd></div>)}
        <div><dt><kbd>Enter</kbd></dt><dd>Подтвердить / дальше</dd></div>
      </dl>
      <h2>Позиции продажи</h2>
      <dl className="key-list">
        {SALE_KEYS.map((k) => <div key={k.key}><dt><kbd>{k.key}</kbd></dt><dd>{k.label}</dd></div>)}
        <div><dt><kbd>Backspace</kbd></dt><dd>Стереть введённую цифру</dd></div>
      </dl>
      <h2>Как сделать возврат</h2>
      <ol>
        <li>Отсканируйте чек покупателя или введите номер чека и нажмите Enter.</li>
        <li>Отметьте, что возвращается (пробел или количество цифрами, * — всё), Enter.</li>
        <li>Проверьте итог и способ возврата денег, Enter. Для карты — проведите возврат на терминале и введите RRN.</li>
        <li>Дождитесь чека. Если кончилась лента — вставьте новую: чек допечатается сам.</li>
      </ol>
      <p className="hint">Esc — закрыть помощь.</p>
    </section>
  );
}
