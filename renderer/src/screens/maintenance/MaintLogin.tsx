import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../../components/ActionButtons.js';
import { Message } from '../../components/Message.js';
import { ScreenFrame } from '../../components/ScreenFrame.js';
import type { ScreenProps } from '../types.js';

/**
 * The technician's login: operator id and password, sent together once; the
 * runtime checks them. The password field is emptied as soon as it is sent.
 */
export function MaintLogin({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const [operatorId, setOperatorId] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: React.FormEvent): void => {
    event.preventDefault();
    if (operatorId === '' || password === '') return;
    send({ type: 'maint.login', operatorId, password });
    setPassword('');
  };
  const lockedMinutes = view.data.deadlineSeconds === undefined ? undefined : Math.ceil(view.data.deadlineSeconds / 60);
  return (
    <ScreenFrame screen="maintLogin" title={t('maintLogin.title')} prompt={t('maintLogin.prompt')}>
      <form className="maint-form" onSubmit={submit}>
        <label htmlFor="maint-operator">{t('maintLogin.operatorId')}</label>
        <input
          id="maint-operator"
          name="operatorId"
          autoComplete="off"
          spellCheck={false}
          maxLength={16}
          pattern="[A-Za-z0-9]+"
          required
          value={operatorId}
          onChange={(e) => setOperatorId(e.target.value)}
        />
        <label htmlFor="maint-password">{t('maintLogin.password')}</label>
        <input
          id="maint-password"
          name="password"
          type="password"
          autoComplete="off"
          maxLength={64}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="choice primary" data-action="login">
          {t('maintLogin.submit')}
        </button>
      </form>
      <Message message={view.data.message} />
      {lockedMinutes !== undefined && <p className="prompt">{t('maintLogin.lockedFor', { minutes: lockedMinutes })}</p>}
      <ActionButtons actions={actions} send={send} className="maint-languages" />
    </ScreenFrame>
  );
}
